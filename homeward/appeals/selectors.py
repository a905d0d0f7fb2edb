"""Reads that need care: the one access helper per private model, and the working calendar."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404

from homeward.appeals import deadlines
from homeward.appeals.models import Addressee, CalendarDay, Campaign, Copy, Filing, Reply, Signature
from homeward.lib.ids import pk_or_404 as _pk
from homeward.lib.rows import get_by_pk


def campaigns():
    return Campaign.objects.select_related("addressee", "chapter__region")


def get_campaign(pk) -> Campaign:
    """Campaigns are public: anyone may read one (who may take part is a rule)."""
    try:
        return campaigns().get(pk=_pk(pk))
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


SIGNING_FIELDS = ("id", "scope", "chapter_id", "opens_on", "closes_on", "closed")


def get_campaign_for_signing(pk) -> Campaign:
    """Only the columns signing needs: the hot path reads one narrow row, with a SELECT
    compiled once (as `.only(*SIGNING_FIELDS).get(pk=pk)` would return it)."""
    try:
        return get_by_pk(Campaign, _pk(pk), fields=SIGNING_FIELDS)
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


def signature_of(account, campaign) -> Signature | None:
    if not account.is_authenticated:
        return None
    return Signature.objects.filter(campaign=campaign, account=account).first()


def copy_made(account, campaign) -> bool:
    return bool(account.is_authenticated and Copy.objects.filter(campaign=campaign, account=account).exists())


def filings_of(account):
    """Her own filings, newest first. Nobody else's, whatever the role."""
    if not account.is_authenticated:
        return Filing.objects.none()
    return Filing.objects.filter(owner=account).select_related("campaign", "addressee")


def get_filing_for(account, pk) -> Filing:
    """The one way to fetch a filing: the owner's own, or 404 for anyone else."""
    if not account.is_authenticated:
        raise Http404
    try:
        return Filing.objects.select_related("campaign__addressee", "addressee", "forwarded_from").get(
            pk=_pk(pk), owner=account
        )
    except Filing.DoesNotExist as exc:
        raise Http404 from exc


def forwarded_child(filing) -> Filing | None:
    return Filing.objects.filter(forwarded_from=filing).select_related("addressee").first()


def reply_summary(filing) -> Reply | None:
    """The reply's name and size, without reading (and decrypting) its content."""
    return Reply.objects.filter(filing=filing).defer("content").first()


def reply_of(filing) -> Reply:
    try:
        return Reply.objects.get(filing=filing)
    except Reply.DoesNotExist as exc:
        raise Http404 from exc


def addressees():
    return Addressee.objects.all()


def post_days() -> int:
    return int(getattr(settings, "APPEALS_POST_DAYS", deadlines.DEFAULT_POST_DAYS))


def work_calendar() -> deadlines.WorkCalendar:
    """The `holidays` RU calendar corrected by the days admins added."""
    working, off = [], []
    for day, kind in CalendarDay.objects.values_list("day", "kind"):
        (working if kind == CalendarDay.Kind.WORKING else off).append(day)
    return deadlines.WorkCalendar(extra_working=working, extra_days_off=off)


def deadlines_of(filing: Filing, *, calendar: deadlines.WorkCalendar) -> deadlines.Deadlines:
    extension = filing.extension_days if filing.extension_notified_on else None
    return deadlines.filing_deadlines(
        sent_on=filing.sent_on,
        channel=filing.channel,
        calendar=calendar,
        received_on=filing.received_on,
        registered_on=filing.registered_on,
        extension_days=extension,
        post_days=post_days(),
    )


def is_overdue(filing: Filing, today: dt.date) -> bool:
    """The answer is late: nothing recorded and the (possibly extended) due date has passed."""
    return filing.outcome in {"pending", "no_answer"} and today > filing.answer_due
