"""The answer ledger and the coordinators' dashboard: exact counts over groups of at least k,
nothing smaller — not even by subtraction — and no personal data in any page or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import pytest
from django.urls import reverse

from conftest import make_account
from homeward.accounts.models import Account
from homeward.appeals import aggregates, services
from homeward.appeals.models import Addressee, Copy, Filing
from homeward.appeals.tests.conftest import make_campaign
from homeward.stats.tests.disclosure import worked_out

D = dt.date


pytestmark = pytest.mark.usefixtures("pages_in_english")


def filings(
    owner, campaign, outcomes: dict[str, int], *, addressee=None, days_to_answer=(20,), registered=True, name=""
):
    """Filings straight into the table (the ledger reads them set-wise; services are tested elsewhere)."""
    rows = []
    days = itertools.cycle(days_to_answer)
    for outcome, n in outcomes.items():
        for _ in range(n):
            sent = D(2025, 3, 3)
            answered = (
                sent + dt.timedelta(days=next(days))
                if outcome in {"merits", "formal", "refusal", "forwarded"}
                else None
            )
            rows.append(
                Filing(
                    owner=owner,
                    campaign=campaign,
                    addressee=addressee if addressee is not None else (None if name else campaign.addressee),
                    addressee_name=name,
                    channel="site",
                    sent_on=sent,
                    registered_on=sent if registered else None,
                    outcome=outcome,
                    answered_on=answered,
                    answer_due=D(2025, 7, 1),  # after the day the ledger is computed for
                )
            )
    Filing.objects.bulk_create(rows)


@pytest.fixture
def two_campaigns(cast, chapter_a):
    a = make_campaign(actor=cast["coordinator"], chapter=chapter_a, title="Министру")
    b = make_campaign(actor=cast["coordinator"], chapter=chapter_a, title="Ещё министру", addressee=a.addressee)
    owner = cast["member"]
    filings(
        owner,
        a,
        {"merits": 10, "formal": 14, "no_answer": 11, "pending": 3, "refusal": 2},
        days_to_answer=(10, 20, 30, 40),
    )
    filings(owner, b, {"formal": 12, "refusal": 10, "merits": 10, "no_answer": 10, "pending": 10})
    return a, b


def test_exact_counts_without_suppression(two_campaigns):
    a, b = two_campaigns

    ledger = aggregates.compute(today=D(2025, 6, 1), k=0)

    row = ledger.campaigns[a.pk].row
    assert row.total == 40
    assert row.kinds == {"pending": 3, "merits": 10, "formal": 14, "forwarded": 0, "refusal": 2, "no_answer": 11}
    assert row.answered == 26
    assert row.median_days == 20.0  # 10, 20, 30, 40 repeated over 26 answers: 7, 7, 6, 6 of each
    (by_addressee,) = ledger.addressees
    assert by_addressee.total == 92
    assert by_addressee.kinds["formal"] == 26
    funnel = ledger.campaigns[a.pk].funnel
    assert funnel == {"copies": 0, "filed": 40, "registered": 40, "answered": 26}


def test_small_figures_are_withheld_and_cannot_be_worked_out(two_campaigns):
    a, b = two_campaigns
    k = 10

    ledger = aggregates.compute(today=D(2025, 6, 1), k=k)

    row_a, row_b = ledger.campaigns[a.pk].row, ledger.campaigns[b.pk].row
    assert (row_a.total, row_b.total, row_a.kinds["formal"], row_b.kinds["formal"]) == (40, 52, 14, 12)
    assert row_a.kinds["pending"] is None  # 3
    assert row_a.kinds["refusal"] is None  # 2
    assert row_a.kinds["forwarded"] is None  # 0
    # An attacker's arithmetic over every sum a reader can see must not pin any withheld figure.
    published, relations = {}, []
    rows = {("c", a.pk): row_a, ("c", b.pk): row_b, ("a",): ledger.addressees[0]}
    for key, row in rows.items():
        for kind, value in row.kinds.items():
            published[(*key, kind)] = value
        published[(*key, "total")] = row.total
        relations.append(([(*key, kind) for kind in row.kinds], (*key, "total")))
    for kind in aggregates.KINDS:
        relations.append(([("c", a.pk, kind), ("c", b.pk, kind)], ("a", kind)))
    relations.append(([("c", a.pk, "total"), ("c", b.pk, "total")], ("a", "total")))
    for pk in (a.pk, b.pk):
        figures = ledger.campaigns[pk]
        answered = [("c", pk, kind) for kind in aggregates.ANSWER_KINDS]
        published[("ans", pk)] = figures.row.answered
        relations.append((answered, ("ans", pk)))
        for label, value in figures.bins:
            published[("bin", pk, label)] = value
        relations.append(([("bin", pk, label) for label, _v in figures.bins], ("ans", pk)))
    assert worked_out(published, relations) == {}
    for value in published.values():
        assert value is None or value == 0 or value >= k


def test_a_forwarded_filing_counts_under_its_new_body_and_answers_its_chain(cast, campaign):
    general_staff = Addressee.objects.create(body="Генеральный штаб")
    filings(cast["member"], campaign, {"forwarded": 1})
    parent = Filing.objects.get()
    Filing.objects.create(
        owner=cast["member"],
        campaign=campaign,
        addressee=general_staff,
        forwarded_from=parent,
        channel="forwarded",
        sent_on=D(2025, 3, 20),
        outcome="merits",
        answered_on=D(2025, 4, 10),
        answer_due=D(2025, 4, 30),
    )

    ledger = aggregates.compute(today=D(2025, 6, 1), k=0)

    figures = ledger.campaigns[campaign.pk]
    assert figures.funnel["filed"] == 1  # the same letter, on its way
    assert figures.funnel["answered"] == 1  # answered through its chain
    bodies = {row.name: (row.total, row.kinds["forwarded"], row.kinds["merits"]) for row in figures.by_addressee}
    assert bodies == {str(campaign.addressee): (1, 1, 0), "Генеральный штаб": (1, 0, 1)}
    assert {row.name for row in ledger.addressees} == {str(campaign.addressee), "Генеральный штаб"}


def test_the_public_ledger_and_its_csv(client_for, two_campaigns):
    a, _b = two_campaigns

    page = client_for("visitor").get(reverse("appeals:ledger"))
    response = client_for("visitor").get(reverse("appeals:ledger_csv"))

    assert page.status_code == 200
    body = page.content.decode()
    assert f'id="ledger-campaigns-{a.pk}"' in body
    assert "fewer than 10" in body
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["level", "id", "name", "figure", "value"]
    by_key = {(r[0], r[1], r[3]): r[4] for r in rows[1:]}
    assert by_key[("campaign", str(a.pk), "formal")] == "14"
    assert by_key[("campaign", str(a.pk), "refusal")] == "<10"
    assert by_key[("campaign", str(a.pk), "median_days_to_answer")] == "20.0"
    handles = set(Account.objects.values_list("handle", flat=True))
    assert not any(h in response.content.decode() for h in handles)


def test_the_dashboard_shows_counts_charts_and_no_names(cast, client_for, two_campaigns, settings):
    a, _b = two_campaigns
    for i in range(12):
        account = make_account(f"signer{i}")
        services.signature_sign(campaign=a, account=account, full_name=f"Имя Подписавшей {i}", today=a.opens_on)
        Copy.objects.create(campaign=a, account=account)

    response = client_for("coordinator").get(reverse("appeals:dashboard", args=[a.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('role="img"') == 3  # the funnel, the answers, the days to answer
    assert "<title" in body
    assert ">12<" in body.replace(" ", "")  # co-signed and copies
    assert "Имя Подписавшей" not in body
    assert "signer1" not in body
    assert 'id="overdue"' in body
    csv_rows = list(
        csv.reader(
            io.StringIO(client_for("coordinator").get(reverse("appeals:dashboard_csv", args=[a.pk])).content.decode())
        )
    )
    assert [str(a.pk), "funnel", "signed", "12"] in csv_rows
    assert [str(a.pk), "outcome", "refusal", "<10"] in csv_rows
    assert [str(a.pk), "outcome", "formal", "14"] in csv_rows


def test_a_filing_past_its_due_date_counts_as_unanswered_before_the_daily_job(cast, campaign):
    filings(cast["member"], campaign, {"pending": 2})
    Filing.objects.update(answer_due=D(2025, 4, 2))

    before = aggregates.compute(today=D(2025, 4, 2), k=0).campaigns[campaign.pk].row.kinds
    after = aggregates.compute(today=D(2025, 4, 3), k=0).campaigns[campaign.pk].row.kinds

    assert (before["pending"], before["no_answer"]) == (2, 0)
    assert (after["pending"], after["no_answer"]) == (0, 2)
