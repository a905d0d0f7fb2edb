"""The daily job: no answer detected after the due date, and reminders three days before each
deadline and when it passes — in-app and, if she linked Telegram, through the outbox —
exactly once however often it runs."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.appeals import selectors, services, tasks
from homeward.appeals.models import Filing
from homeward.appeals.tests.conftest import make_campaign, make_filing
from homeward.lib.scheduling import DAILY_JOBS
from homeward.notices.models import Notice
from homeward.telegram.models import OutboxEntry, TelegramLink

D = dt.date


@pytest.fixture
def campaign(cast, chapter_a):
    return make_campaign(actor=cast["coordinator"], chapter=chapter_a, opens_on=D(2025, 1, 1))


@pytest.fixture
def registered(cast, campaign):
    """Registered on 3 March 2025: forwarding due 10 March, the answer due 2 April."""
    return make_filing(
        cast["member"], campaign, sent_on=D(2025, 3, 3), registered_on=D(2025, 3, 3), registration_number="1"
    )


def notices(account) -> list[tuple[str, str, str]]:
    return sorted(
        (n.kind, n.params["deadline"], n.params["due"])
        for n in Notice.objects.filter(account=account, kind__startswith="appeals.")
    )


def test_the_job_is_daily():
    assert DAILY_JOBS[tasks.appeals_daily.module_path] is tasks.appeals_daily


def test_no_answer_is_detected_the_day_after_the_due_date(cast, registered):
    assert tasks.mark_no_answer(today=D(2025, 4, 2)) == 0
    registered.refresh_from_db()
    assert registered.outcome == "pending"

    assert tasks.mark_no_answer(today=D(2025, 4, 3)) == 1
    assert tasks.mark_no_answer(today=D(2025, 4, 4)) == 0
    registered.refresh_from_db()
    assert registered.outcome == "no_answer"
    assert selectors.is_overdue(registered, D(2025, 4, 3))


def test_an_answer_recorded_is_never_marked_unanswered(cast, registered):
    services.filing_outcome(
        filing=registered, outcome="formal", on=D(2025, 3, 20), calendar=selectors.work_calendar(), today=D(2025, 3, 20)
    )

    assert tasks.mark_no_answer(today=D(2025, 6, 1)) == 0
    assert Filing.objects.get().outcome == "formal"


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2025, 3, 28), []),
        (D(2025, 3, 30), [("appeals.deadline_soon", "answer", "2025-04-02")]),
        (D(2025, 4, 2), [("appeals.deadline_soon", "answer", "2025-04-02")]),
        (D(2025, 4, 3), [("appeals.deadline_passed", "answer", "2025-04-02")]),
    ],
)
def test_answer_reminders_three_days_before_and_when_it_passes(cast, registered, today, expected):
    tasks.deadline_reminders(today=today)

    got = [n for n in notices(cast["member"]) if n[1] == "answer"]
    assert got == expected


def test_reminders_are_sent_once_however_often_the_job_runs(cast, registered, settings):
    settings.TELEGRAM_BOT_TOKEN = "123:test"
    TelegramLink.objects.create(account=cast["member"], chat_id="42", chat_index="x" * 64)

    first = tasks.deadline_reminders(today=D(2025, 3, 31))
    again = tasks.deadline_reminders(today=D(2025, 3, 31))
    next_day = tasks.deadline_reminders(today=D(2025, 4, 1))

    assert (first, again, next_day) == (2, 0, 0)  # the forwarding period passed; the answer is due in 2 days
    assert notices(cast["member"]) == [
        ("appeals.deadline_passed", "forwarding", "2025-03-10"),
        ("appeals.deadline_soon", "answer", "2025-04-02"),
    ]
    assert OutboxEntry.objects.filter(kind=OutboxEntry.Kind.NOTIFY).count() == 2
    # Missed days are caught up: the passing is told once, late rather than never.
    assert tasks.deadline_reminders(today=D(2025, 4, 20)) == 1
    assert tasks.deadline_reminders(today=D(2025, 4, 21)) == 0
    assert OutboxEntry.objects.filter(kind=OutboxEntry.Kind.NOTIFY).count() == 3


def test_without_a_registration_she_is_reminded_to_ask_for_it(cast, campaign):
    make_filing(cast["member"], campaign, sent_on=D(2025, 3, 3), channel="site")  # registration due 6 March

    tasks.deadline_reminders(today=D(2025, 3, 4))
    tasks.deadline_reminders(today=D(2025, 3, 7))

    assert [n for n in notices(cast["member"]) if n[1] == "registration"] == [
        ("appeals.deadline_passed", "registration", "2025-03-06"),
        ("appeals.deadline_soon", "registration", "2025-03-06"),
    ]


def test_an_extension_gets_reminders_for_its_new_date(cast, registered):
    tasks.deadline_reminders(today=D(2025, 3, 31))
    services.filing_extension(
        filing=registered, notified_on=D(2025, 3, 31), days=30, calendar=selectors.work_calendar(), today=D(2025, 3, 31)
    )

    tasks.deadline_reminders(today=D(2025, 5, 2))  # due 5 May: 2 April + 30 days is 2 May, a day off

    answer = [n for n in notices(cast["member"]) if n[1] == "answer"]
    assert answer == [
        ("appeals.deadline_soon", "answer", "2025-04-02"),
        ("appeals.deadline_soon", "answer", "2025-05-05"),
    ]


def test_answered_filings_get_no_reminders(cast, registered):
    services.filing_outcome(
        filing=registered, outcome="merits", on=D(2025, 3, 20), calendar=selectors.work_calendar(), today=D(2025, 3, 20)
    )

    assert tasks.deadline_reminders(today=D(2025, 3, 31)) == 0


def test_notices_carry_references_not_sensitive_values(cast, registered):
    tasks.deadline_reminders(today=D(2025, 4, 3))

    for notice in Notice.objects.filter(kind__startswith="appeals."):
        assert set(notice.params) == {"filing", "campaign", "title", "deadline", "due"}
        assert notice.params["filing"] == registered.pk
        assert notice.params["title"] == registered.campaign.title  # public; nothing of hers


def test_the_daily_job_does_all_three(cast, registered, campaign):
    from homeward.appeals.models import Campaign

    Campaign.objects.filter(pk=campaign.pk).update(signature_count=3)

    result = tasks.appeals_day(today=D(2025, 4, 3))

    assert result == {"no_answer": 1, "reminders": 2, "counts_fixed": 1}
    assert Campaign.objects.get(pk=campaign.pk).signature_count == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The answer to your appeal in the campaign “Верните мобилизованных домой” is due by 2025-04-02"),
        ("ru", "Ответ на ваше обращение в кампании «Верните мобилизованных домой» должен прийти не позднее 2025-04-02"),
    ],
)
def test_the_notice_reads_in_her_language_and_links_to_the_filing(cast, registered, language, expected):
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    tasks.deadline_reminders(today=D(2025, 3, 31))
    notice = Notice.objects.get(kind="appeals.deadline_soon")

    with translation.override(language):
        text = render_to_string("appeals/_notice.html", {"notice": notice})

    assert expected in text
    assert f'href="{reverse("appeals:filing", args=[registered.pk])}"' in text
