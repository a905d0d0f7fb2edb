"""The appeals app's part of the authorization matrix (homeward/lib/tests/test_authorization_matrix.py).

Campaigns and the ledger are public; co-signing a chapter campaign is for its chapter's
members; the dashboard, the collective letter and the campaign's settings are for its
chapter's coordinators and admins (with a verified second factor); a filing is seen by
the member who recorded it and by nobody else — coordinators and admins get 404.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from homeward.lib.tests.test_authorization_matrix import Case, everyone, managers_of_a, owner_only, signed_in


def _chapter_a_members(ok, others=403):
    """Members of chapter A (the member and its coordinator) take part; other accounts may not."""
    return {**signed_in(others), "member": ok, "coordinator": ok}


def _writers(ok):
    return {**signed_in(403), "coordinator": ok, "other_coordinator": ok, "admin": ok}


CAMPAIGN = lambda objs: {"pk": objs["appeal_campaign"].pk}  # noqa: E731
CLOSED = lambda objs: {"pk": objs["appeal_closed"].pk}  # noqa: E731
FILING = lambda objs: {"pk": objs["appeal_filing"].pk}  # noqa: E731

MATRIX = {
    "appeals:list": Case(everyone(200)),
    "appeals:ledger": Case(everyone(200)),
    "appeals:ledger_csv": Case(everyone(200)),
    "appeals:detail": Case(everyone(200), kwargs=CAMPAIGN),
    "appeals:new": Case(_writers(200)),
    "appeals:mine": Case(signed_in(200)),
    "appeals:sign": Case(_chapter_a_members(302), method="post", kwargs=CAMPAIGN),
    # her own signature, whatever her role now (she may have left the chapter since)
    "appeals:withdraw": Case(signed_in(302), method="post", kwargs=CAMPAIGN),
    "appeals:copy": Case(_chapter_a_members(200), kwargs=CAMPAIGN),
    "appeals:filing_new": Case(_chapter_a_members(200), kwargs=CAMPAIGN),
    "appeals:edit": Case(managers_of_a(200), kwargs=CAMPAIGN),
    "appeals:close": Case(managers_of_a(302), method="post", kwargs=CAMPAIGN),
    "appeals:dashboard": Case(managers_of_a(200), kwargs=CAMPAIGN),
    "appeals:dashboard_csv": Case(managers_of_a(200), kwargs=CAMPAIGN),
    "appeals:letter": Case(managers_of_a(200), kwargs=CLOSED),
    # a filing: hers alone
    "appeals:filing": Case(owner_only(200), kwargs=FILING),
    "appeals:filing_edit": Case(owner_only(200), kwargs=FILING),
    "appeals:filing_outcome": Case(owner_only(400), method="post", kwargs=FILING, data={"outcome": "nope"}),
    "appeals:filing_outcome_clear": Case(owner_only(302), method="post", kwargs=FILING),
    "appeals:filing_extension": Case(owner_only(400), method="post", kwargs=FILING, data={"days": "99"}),
    "appeals:filing_reply": Case(owner_only(400), method="post", kwargs=FILING),
    "appeals:filing_reply_file": Case(owner_only(200), kwargs=FILING),
    "appeals:filing_reply_delete": Case(owner_only(302), method="post", kwargs=FILING),
    "appeals:filing_complaint": Case(owner_only(200), kwargs=FILING),
    "appeals:filing_delete": Case(owner_only(200), kwargs=FILING),
}


def extra_objects(*, cast, objs) -> dict:
    from homeward.appeals import selectors, services
    from homeward.appeals.models import Addressee

    today = timezone.localdate()
    addressee = Addressee.objects.create(official="Министр обороны", body="Министерство обороны Российской Федерации")
    base = {
        "summary": "Текст для участников.",
        "addressee": addressee,
        "channels": ["site", "post"],
        "template": "Я, {full_name}, прошу вернуть {loved_one_name} домой. {today}",
        "goal": None,
        "opens_on": today - dt.timedelta(days=90),
        "chapter": objs["chapter_a"],
    }
    campaign = services.campaign_create(
        actor=cast["coordinator"], data={**base, "title": "Обращение отделения", "scope": "chapter", "closes_on": None}
    )
    closed = services.campaign_create(
        actor=cast["coordinator"],
        data={**base, "title": "Закрытое обращение", "scope": "movement", "closes_on": today - dt.timedelta(days=1)},
    )
    # Her filing, sent 80 days ago and never answered: overdue, with a reply document kept.
    filing = services.filing_create(
        owner=cast["member"],
        campaign=campaign,
        data={"channel": "gosuslugi", "sent_on": today - dt.timedelta(days=80), "registration_number": "МО-1"},
        calendar=selectors.work_calendar(),
        today=today,
    )
    services.reply_attach(
        filing=filing, name="ответ.pdf", content=b"%PDF-1.4\n%%EOF\n", content_type="application/pdf", today=today
    )
    return {"appeal_campaign": campaign, "appeal_closed": closed, "appeal_filing": filing}
