"""The public answer ledger (летопись ответов): how each office answered. Counts only."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from homeward.appeals import aggregates, selectors, services
from homeward.appeals.views.campaigns import _csv_response, _v
from homeward.appeals.views.common import KIND_LABELS, LEDGER_KINDS, table_rows
from homeward.lib.pagecache import anonymous_cache


@anonymous_cache(services.APPEALS_VERSION)
def ledger_page(request):
    today = timezone.localdate()
    ledger = aggregates.ledger(today=today)
    campaigns = {c.pk: c for c in selectors.campaigns()}
    campaign_rows = [
        (campaigns[pk].title, reverse("appeals:detail", args=[pk]), figures.row)
        for pk, figures in sorted(ledger.campaigns.items(), key=lambda item: campaigns[item[0]].opens_on, reverse=True)
        if pk in campaigns
    ]
    return render(
        request,
        "appeals/ledger.html",
        {
            "ledger": ledger,
            "campaign_rows": table_rows(campaign_rows),
            "addressee_rows": table_rows([(row.name, "", row) for row in ledger.addressees]),
            "ledger_kinds": [(kind, KIND_LABELS[kind]) for kind in LEDGER_KINDS],
        },
    )


@anonymous_cache(services.APPEALS_VERSION)
def ledger_csv(request):
    """The ledger's aggregates as CSV: campaigns and addressees, "<k" where withheld."""
    today = timezone.localdate()
    ledger = aggregates.ledger(today=today)
    k = ledger.k
    rows = [["level", "id", "name", "figure", "value"]]
    for pk, figures in sorted(ledger.campaigns.items()):
        row = figures.row
        rows.append(["campaign", pk, row.name, "filings", _v(row.total, k)])
        for kind in LEDGER_KINDS:
            rows.append(["campaign", pk, row.name, kind, _v(row.kinds[kind], k)])
        rows.append(["campaign", pk, row.name, "median_days_to_answer", row.median_days or ""])
    for row in ledger.addressees:
        rows.append(["addressee", row.key, row.name, "filings", _v(row.total, k)])
        for kind in LEDGER_KINDS:
            rows.append(["addressee", row.key, row.name, kind, _v(row.kinds[kind], k)])
        rows.append(["addressee", row.key, row.name, "median_days_to_answer", row.median_days or ""])
    response = _csv_response(rows, "homeward-answer-ledger.csv")
    response["Cache-Control"] = "public, max-age=300"
    return response
