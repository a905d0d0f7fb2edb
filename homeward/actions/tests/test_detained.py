"""«Меня задержали»: one tap records the detention and alerts the chapter's coordinators and the
action's lawyer accounts, in-app and through the Telegram outbox — exactly once, however often
it is pressed."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import make_account, signed_in_client
from homeward.actions import services
from homeward.actions.models import Detention
from homeward.actions.tests.builders import LAWYERS, make_action
from homeward.notices.models import Notice
from homeward.telegram.models import OutboxEntry, TelegramLink
from homeward.telegram.services import chat_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def lawyer(db):
    return make_account("lawyer_olga")


@pytest.fixture
def second_coordinator(chapter_a):
    return make_account("coord_two", chapter=chapter_a, role="coordinator", totp=True)


@pytest.fixture
def action(cast, chapter_a, lawyer, second_coordinator):
    action = make_action(
        chapter=chapter_a, actor=cast["coordinator"], starts_in=dt.timedelta(hours=1), lawyers=[lawyer]
    )
    now = timezone.now()
    services.action_rsvp(action=action, account=cast["member"], coming=True, now=now)
    services.action_check_in(action=action, account=cast["member"], now=now)
    return action


def link(account, chat_id: int) -> None:
    TelegramLink.objects.create(account=account, chat_id=str(chat_id), chat_index=chat_index(chat_id))


def press(client, action):
    return client.post(reverse("actions:detained", args=[action.pk]))


def alarm_notices():
    return list(Notice.objects.filter(kind="action.detained").order_by("account_id"))


def test_double_submit_records_one_detention_and_alerts_each_recipient_once(
    cast, action, lawyer, second_coordinator, client_for
):
    client = client_for("member")

    first, second = press(client, action), press(client, action)

    assert (first.status_code, second.status_code) == (302, 302)
    assert Detention.objects.filter(action=action).count() == 1
    action.refresh_from_db()
    assert action.detained_count == 1
    recipients = sorted([cast["coordinator"].pk, second_coordinator.pk, lawyer.pk])
    notices = alarm_notices()
    assert [n.account_id for n in notices] == recipients
    assert all(n.params == {**n.params, "action": action.pk, "count": 1} for n in notices)
    assert not Notice.objects.filter(account=cast["member"], kind="action.detained").exists()
    # Nobody else hears of it: not the member's fellow members, not other chapters, not admins.
    assert not Notice.objects.filter(kind="action.detained").exclude(account_id__in=recipients).exists()


def test_the_alarm_carries_no_name_and_no_place(cast, action, client_for):
    press(client_for("member"), action)

    for notice in alarm_notices():
        text = str(notice.params)
        assert "member" not in text and action.place not in text


def test_the_member_sees_the_lawyers_contacts_once_she_pressed(cast, action, client_for):
    client = client_for("member")
    url = reverse("actions:detail", args=[action.pk])
    assert LAWYERS not in client.get(url).content.decode()

    press(client, action)

    html = client.get(url).content.decode()
    assert LAWYERS in html
    assert "The alarm is sent to the coordinators and lawyers." in html
    assert 'id="detained-button"' not in html


def test_the_coordinator_sees_the_alert(cast, action, client_for):
    press(client_for("member"), action)

    html = client_for("coordinator").get(reverse("actions:manage", args=[action.pk])).content.decode()
    notices = client_for("coordinator").get(reverse("notices:list")).content.decode()

    assert "1 member reported being detained." in html
    assert "member" not in html.split('id="detained-alert"')[1].split("</div>")[0].replace("1 member reported", "")
    assert reverse("actions:detail", args=[action.pk]) in notices or "action.detained" in notices


def test_only_a_checked_in_member_can_press(cast, chapter_a, client_for):
    action = make_action(chapter=chapter_a, starts_in=dt.timedelta(hours=1))
    services.action_rsvp(action=action, account=cast["member"], coming=True, now=timezone.now())

    press(client_for("member"), action)

    assert not Detention.objects.exists()
    assert not Notice.objects.filter(kind="action.detained").exists()


def test_alerts_reach_coordinators_and_lawyers_through_the_telegram_outbox_once(
    telegram, cast, action, lawyer, second_coordinator, client_for
):
    from homeward.telegram import worker

    link(cast["coordinator"], 7001)
    link(lawyer, 7002)  # the second coordinator has not linked Telegram: in-app only
    client = client_for("member")

    press(client, action)
    press(client, action)

    assert OutboxEntry.objects.filter(kind=OutboxEntry.Kind.NOTIFY).count() == 2
    worker.drain()
    worker.drain()
    sent = {c.params["chat_id"]: c.params["text"] for c in telegram.calls_to("sendMessage")}
    assert sorted(sent) == ["7001", "7002"]
    assert len(telegram.calls_to("sendMessage")) == 2
    # Each in her own language: the coordinator reads English here, the lawyer Russian (the default).
    assert "has been detained" in sent["7001"]
    assert "задержали" in sent["7002"]
    for text in sent.values():
        assert action.title in text and action.place not in text and LAWYERS not in text
    assert len(alarm_notices()) == 3


def test_an_alarm_per_member(cast, chapter_a, action, client_for):
    other = make_account("second_member", chapter=chapter_a)
    services.action_rsvp(action=action, account=other, coming=True, now=timezone.now())
    services.action_check_in(action=action, account=other, now=timezone.now())

    press(client_for("member"), action)
    press(signed_in_client(other), action)

    action.refresh_from_db()
    assert action.detained_count == 2
    counts = sorted(
        n.params["count"] for n in Notice.objects.filter(kind="action.detained", account=cast["coordinator"])
    )
    assert counts == [1, 2]


def test_detained_from_telegram_finds_todays_checked_in_action(cast, action, chapter_a):
    first = services.detained_from_telegram(cast["member"])
    again = services.detained_from_telegram(cast["member"])
    nobody = services.detained_from_telegram(make_account("not_there", chapter=chapter_a))

    assert (first.outcome, first.action) == (services.TelegramDetained.RECORDED, action)
    assert (again.outcome, again.action) == (services.TelegramDetained.ALREADY, action)
    assert nobody.outcome == services.TelegramDetained.NO_ACTION
    assert Detention.objects.filter(action=action).count() == 1
    assert len(alarm_notices()) == 3


def test_detained_from_telegram_ignores_other_days(cast, action):
    tomorrow = timezone.now() + dt.timedelta(days=2)
    yesterday_before = action.starts_at - dt.timedelta(days=1)

    assert services.detained_from_telegram(cast["member"], now=tomorrow).outcome == services.TelegramDetained.NO_ACTION
    assert (
        services.detained_from_telegram(cast["member"], now=yesterday_before).outcome
        == services.TelegramDetained.NO_ACTION
    )
    assert not Detention.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_presses_alert_once(chapter_a):
    """Real concurrency (PostgreSQL): the same member's two taps arriving together."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    coordinator = make_account("coord_c", chapter=chapter_a, role="coordinator", totp=True)
    member = make_account("member_c", chapter=chapter_a)
    action = make_action(chapter=chapter_a, starts_in=dt.timedelta(hours=1))
    services.action_rsvp(action=action, account=member, coming=True, now=timezone.now())
    services.action_check_in(action=action, account=member, now=timezone.now())
    barrier = threading.Barrier(4)
    results, errors = [], []

    def tap():
        try:
            barrier.wait()
            results.append(services.action_detained(action=action, account=member))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(results) == [False, False, False, True]
    action.refresh_from_db()
    assert action.detained_count == 1
    assert Notice.objects.filter(kind="action.detained", account=coordinator).count() == 1


def test_the_bots_detained_command_sends_the_alarm_once(cast, action):
    from homeward.telegram.bot import reply_detained

    link(cast["member"], 9001)

    first = reply_detained(chat_id=9001)
    again = reply_detained(chat_id=9001)
    stranger = reply_detained(chat_id=9999)

    assert "координаторам" in first  # the bot speaks Russian first
    assert first != again
    assert stranger != first and stranger != again
    assert Detention.objects.filter(action=action, account=cast["member"]).count() == 1
    assert len(alarm_notices()) == 3
