"""The daily appeals job: detect answers that did not come, and remind members of deadlines.

Idempotent: "no answer" is a set-based UPDATE of what is past due; each reminder is a
notice whose key holds the filing, the deadline, the stage and the due date, so a second
run (or a run after missed days) adds only what is missing, and a Telegram message goes
out only with a notice that is new. A due date that moves (an extension) gets new
reminders for the new date.

Reminders, per filing still waiting for its answer:
- registration (59-FZ art. 8 part 2), while no registration date is recorded: three days
  before and when it passes — time to ask the body for the registration number;
- forwarding (art. 8 part 3): when it passes without a forwarding notice, the body has
  taken the appeal as its own (a reminder before it would only be noise);
- the answer (art. 12, extended if a notice was recorded): three days before and when it
  passes — with the draft complaint ready.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from homeward.accounts.models import Account
from homeward.appeals import selectors, services
from homeward.appeals.models import Filing, Outcome
from homeward.lib.scheduling import daily
from homeward.lib.versions import version_bump
from homeward.notices.models import Notice
from homeward.notices.services import NewNotice, notices_create
from homeward.telegram.services import notify

SOON_DAYS = 3
#: Filings whose answer was due up to this many days ago are still looked at (missed runs).
LOOKBACK_DAYS = 30
KIND_SOON = "appeals.deadline_soon"
KIND_PASSED = "appeals.deadline_passed"


def mark_no_answer(*, today: dt.date) -> int:
    """Filings still waiting after their (possibly extended) answer date: no answer."""
    with transaction.atomic():
        changed = Filing.objects.filter(outcome=Outcome.PENDING, answer_due__lt=today).update(outcome=Outcome.NO_ANSWER)
        if changed:
            version_bump(services.APPEALS_VERSION)
    return changed


def _reminders(filing: Filing, deadlines, today: dt.date) -> list[tuple[str, str, dt.date]]:
    """(kind, deadline key, due) of every reminder this filing should have had by today."""
    out = []
    checks = []
    if filing.registered_on is None and not filing.registration_number:
        checks.append((deadlines.registration, True))
    if filing.outcome == Outcome.PENDING or filing.outcome == Outcome.NO_ANSWER:
        checks.append((deadlines.forwarding, False))
        checks.append((deadlines.final, True))
    for deadline, warn_before in checks:
        key = "answer" if deadline.key in {"answer", "extended_answer"} else deadline.key
        if today > deadline.due:
            out.append((KIND_PASSED, key, deadline.due))
        elif warn_before and (deadline.due - today).days <= SOON_DAYS:
            out.append((KIND_SOON, key, deadline.due))
    return out


def _telegram_text(kind: str, deadline: str, due: dt.date, title: str) -> str:
    date = formats.date_format(due, "SHORT_DATE_FORMAT")
    texts = {
        (KIND_SOON, "registration"): _(
            "Your appeal in the campaign “%(title)s” must be registered by %(date)s (59-FZ art. 8 part 2). "
            "Ask the body for its registration number."
        ),
        (KIND_PASSED, "registration"): _(
            "The three days for registering your appeal in the campaign “%(title)s” ended on %(date)s "
            "(59-FZ art. 8 part 2). If you have no registration number, ask the body for it."
        ),
        (KIND_PASSED, "forwarding"): _(
            "The seven days for forwarding your appeal in the campaign “%(title)s” ended on %(date)s "
            "(59-FZ art. 8 part 3) with no notice: the body must answer it itself."
        ),
        (KIND_SOON, "answer"): _(
            "The answer to your appeal in the campaign “%(title)s” is due by %(date)s (59-FZ art. 12)."
        ),
        (KIND_PASSED, "answer"): _(
            "The answer to your appeal in the campaign “%(title)s” was due by %(date)s (59-FZ art. 12) and has "
            "not come. A draft complaint to the prosecutor's office is ready in Homeward."
        ),
    }
    return texts[(kind, deadline)] % {"title": title, "date": date}


def deadline_reminders(*, today: dt.date) -> int:
    """Create the reminders that are due and not yet sent; return how many were new."""
    calendar = selectors.work_calendar()
    waiting = (
        Filing.objects.filter(
            outcome__in=[Outcome.PENDING, Outcome.NO_ANSWER], answer_due__gte=today - dt.timedelta(days=LOOKBACK_DAYS)
        )
        .select_related("campaign")
        .order_by("pk")
    )
    wanted: list[tuple[NewNotice, str]] = []
    for filing in waiting.iterator(chunk_size=2000):
        deadlines = selectors.deadlines_of(filing, calendar=calendar)
        for kind, deadline, due in _reminders(filing, deadlines, today):
            notice = NewNotice(
                account_id=filing.owner_id,
                kind=kind,
                key=f"appeals:{filing.pk}:{deadline}:{kind.rsplit('_', 1)[-1]}:{due.isoformat()}",
                # References and public facts only: the campaign's title is public, her data is not.
                params={
                    "filing": filing.pk,
                    "campaign": filing.campaign_id,
                    "title": filing.campaign.title,
                    "deadline": deadline,
                    "due": due.isoformat(),
                },
            )
            wanted.append((notice, filing.campaign.title))
    if not wanted:
        return 0
    existing: set[tuple[int, str]] = set()
    keys = [n.key for n, _title in wanted]
    for start in range(0, len(keys), 1000):
        existing |= set(Notice.objects.filter(key__in=keys[start : start + 1000]).values_list("account_id", "key"))
    new = [(n, title) for n, title in wanted if (n.account_id, n.key) not in existing]
    created = notices_create(notices=(n for n, _title in new))
    accounts = {a.pk: a for a in Account.objects.filter(pk__in={n.account_id for n, _title in new})}
    for notice, title in new:
        account = accounts.get(notice.account_id)
        if account is None:
            continue
        with translation.override(account.language or "ru"):
            text = _telegram_text(
                notice.kind, notice.params["deadline"], dt.date.fromisoformat(notice.params["due"]), title
            )
        notify(account=account, text=text)
    return created


def appeals_day(*, today: dt.date) -> dict[str, int]:
    return {
        "no_answer": mark_no_answer(today=today),
        "reminders": deadline_reminders(today=today),
        "counts_fixed": len(services.signature_counts_reconcile()),
    }


@daily
@task()
def appeals_daily() -> dict[str, int]:
    return appeals_day(today=timezone.localdate())
