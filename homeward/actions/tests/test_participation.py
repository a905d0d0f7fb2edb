"""Taking part: "I'll come" and back, check-in and check-out. Counts move atomically, once per member."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import make_account
from homeward.actions import services
from homeward.actions.models import RSVP, Action, CheckIn
from homeward.actions.tests.builders import make_action

pytestmark = pytest.mark.django_db


def counts(action) -> tuple[int, int, int]:
    action.refresh_from_db()
    return action.rsvp_count, action.checked_in_count, action.checked_out_count


@pytest.fixture
def soon(cast, chapter_a):
    """An action of chapter A starting in an hour: check-in is open."""
    return make_action(chapter=chapter_a, actor=cast["coordinator"], starts_in=dt.timedelta(hours=1))


def post(client, name, action, **data):
    return client.post(reverse(f"actions:{name}", args=[action.pk]), data)


def test_rsvp_and_back_move_the_count_once_each(cast, soon, client_for):
    client = client_for("member")

    assert post(client, "rsvp", soon, coming="1").status_code == 302
    assert post(client, "rsvp", soon, coming="1").status_code == 302  # a double click
    assert counts(soon)[0] == 1
    assert RSVP.objects.filter(action=soon).count() == 1

    post(client, "rsvp", soon, coming="0")
    post(client, "rsvp", soon, coming="0")
    assert counts(soon)[0] == 0
    assert not RSVP.objects.filter(action=soon).exists()


def test_many_members_are_counted_with_stale_copies_of_the_action(chapter_a, soon):
    stale = Action.objects.get(pk=soon.pk)  # every call below holds the same outdated object
    members = [make_account(f"m{n}", chapter=chapter_a) for n in range(12)]
    for m in members:
        services.action_rsvp(action=stale, account=m, coming=True, now=timezone.now())
    for m in members[:5]:
        services.action_rsvp(action=stale, account=m, coming=False, now=timezone.now())

    assert counts(soon)[0] == 7 == RSVP.objects.filter(action=soon).count()


def test_coordinators_see_the_number_never_the_names(cast, chapter_a, soon, client_for):
    for n in range(3):
        services.action_rsvp(
            action=soon, account=make_account(f"coming_{n}", chapter=chapter_a), coming=True, now=timezone.now()
        )

    html = client_for("coordinator").get(reverse("actions:manage", args=[soon.pk])).content.decode()

    assert '<dd id="count-rsvp">3</dd>' in html
    assert "coming_" not in html


def test_only_the_chapters_members_take_part(cast, soon, client_for):
    for role in ("follower", "outsider", "other_coordinator", "admin"):
        assert post(client_for(role), "rsvp", soon, coming="1").status_code == 403, role
    assert counts(soon) == (0, 0, 0)


def test_no_rsvp_to_a_cancelled_or_past_action(cast, chapter_a, client_for):
    past = make_action(chapter=chapter_a, starts_in=-dt.timedelta(days=1))
    cancelled = make_action(chapter=chapter_a)
    services.action_cancel(actor=cast["coordinator"], action=cancelled)
    client = client_for("member")

    for action in (past, cancelled):
        response = post(client, "rsvp", action, coming="1")
        assert response.status_code == 302
        assert counts(action)[0] == 0
    page = client.get(reverse("actions:detail", args=[past.pk])).content.decode()
    assert "This action is over or cancelled." in page


def test_a_bad_rsvp_answer_changes_nothing(soon, client_for):
    response = post(client_for("member"), "rsvp", soon, coming="maybe")

    assert response.status_code == 302
    assert counts(soon) == (0, 0, 0)


def test_check_in_needs_an_rsvp_and_the_day(cast, chapter_a, soon, client_for):
    client = client_for("member")
    post(client, "check_in", soon)
    assert counts(soon)[1] == 0
    assert "First say that you are coming." in client.get(reverse("actions:detail", args=[soon.pk])).content.decode()

    later = make_action(chapter=chapter_a, starts_in=dt.timedelta(days=3))
    services.action_rsvp(action=later, account=cast["member"], coming=True, now=timezone.now())
    post(client, "check_in", later)
    assert counts(later)[1] == 0


def test_check_in_and_out_count_once(cast, soon, client_for):
    client = client_for("member")
    post(client, "rsvp", soon, coming="1")

    post(client, "check_in", soon)
    post(client, "check_in", soon)
    assert counts(soon) == (1, 1, 0)
    html = client.get(reverse("actions:detail", args=[soon.pk])).content.decode()
    assert 'id="detained-button"' in html and 'id="check-out-button"' in html

    post(client, "check_out", soon)
    post(client, "check_out", soon)
    assert counts(soon) == (1, 1, 1)
    assert CheckIn.objects.get(action=soon, account=cast["member"]).checked_out
    assert "We are glad you are safe." in client.get(reverse("actions:detail", args=[soon.pk])).content.decode()


def test_after_checking_in_she_checks_out_rather_than_taking_back_the_rsvp(cast, soon, client_for):
    client = client_for("member")
    post(client, "rsvp", soon, coming="1")
    post(client, "check_in", soon)

    post(client, "rsvp", soon, coming="0")

    assert counts(soon) == (1, 1, 0)


def test_htmx_gets_the_participation_block_with_its_message(soon, client_for):
    client = client_for("member")

    response = client.post(reverse("actions:rsvp", args=[soon.pk]), {"coming": "1"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="participation"')
    assert "You are coming." in html
    assert 'id="check-in-button"' in html


def test_the_page_says_when_the_data_will_be_gone(soon, client_for):
    html = client_for("member").get(reverse("actions:detail", args=[soon.pk])).content.decode()

    gone = timezone.localtime(soon.ends_at + dt.timedelta(days=14)).strftime("%m/%d/%Y")
    assert "is deleted on" in html and gone in html


@pytest.mark.django_db(transaction=True)
def test_simultaneous_rsvps_count_exactly(chapter_a):
    """Real concurrency (PostgreSQL): members and a double submit at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    action = make_action(chapter=chapter_a, starts_in=dt.timedelta(days=2))
    members = [make_account(f"t{n}", chapter=chapter_a) for n in range(8)]
    accounts = [*members, members[0], members[1]]
    barrier = threading.Barrier(len(accounts))
    errors = []

    def rsvp(account):
        try:
            barrier.wait()
            services.action_rsvp(action=action, account=account, coming=True, now=timezone.now())
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=rsvp, args=(a,)) for a in accounts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert counts(action)[0] == 8 == RSVP.objects.filter(action=action).count()
