"""The answer ledger (летопись ответов) and the campaigns' funnels: counts only, k-anonymous.

Every published number is a count of filings (or of members) in a group. The ledger is
a three-way table — campaign × addressee × outcome — published with its margins (per
campaign, per addressee, in all), so small cells are withheld with complementary
suppression (homeward.lib.kanon): no hidden count can be worked out from the shown
ones. The coordinators' funnel and the days-to-answer distribution come from the same
suppression, so the dashboard never shows what the public ledger withholds.

A constant number of aggregate queries, whatever the number of filings; the result is
cached per data version and day (the version is bumped by every filing write).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When

from homeward.appeals.models import ANSWERS, Addressee, Campaign, Copy, Filing, Outcome
from homeward.lib.kanon import Line, suppress
from homeward.lib.versions import version_current

KINDS = [o.value for o in Outcome]  # pending, merits, formal, forwarded, refusal, no_answer
ANSWER_KINDS = [o.value for o in ANSWERS]
OTHER = 0  # filings forwarded to a body that is not a known addressee
#: The funnel after co-signing (the signature count is live on the campaign, not cached here).
FUNNEL = ["copies", "filed", "registered", "answered"]
#: Days from sending to the answer, in bins (label, first day, last day or None).
BINS = [("0–10", 0, 10), ("11–20", 11, 20), ("21–30", 21, 30), ("31–45", 31, 45), ("46–60", 46, 60), ("61+", 61, None)]


@dataclass
class Row:
    """One line of the ledger: counts by outcome (None = withheld), the total, the median."""

    key: str
    name: str
    kinds: dict[str, int | None] = field(default_factory=dict)
    total: int | None = None
    answered: int | None = None
    median_days: float | None = None


@dataclass
class CampaignFigures:
    campaign_id: int
    row: Row
    by_addressee: list[Row]
    funnel: dict[str, int | None]
    bins: list[tuple[str, int | None]]


@dataclass
class Ledger:
    as_of: dt.date
    k: int
    campaigns: dict[int, CampaignFigures]
    addressees: list[Row]


def _bin(days: int) -> str:
    for label, first, last in BINS:
        if days >= first and (last is None or days <= last):
            return label
    return BINS[0][0]


def _median(values: list[int], k: int) -> float | None:
    return round(statistics.median(values), 1) if values and len(values) >= k else None


def compute(*, today: dt.date, k: int) -> Ledger:
    campaigns = {c.pk: c for c in Campaign.objects.select_related("addressee")}
    addressee_names = {a.pk: str(a) for a in Addressee.objects.all()}

    # 1. Filings by campaign, addressee and outcome: one grouped query.
    base: dict[tuple[int, int, str], int] = {}
    pairs: dict[int, set[int]] = {c: set() for c in campaigns}
    # A filing still "waiting" after its due date is counted as unanswered today, whether or
    # not the daily job has marked it yet.
    effective = Case(
        When(outcome=Outcome.PENDING, answer_due__lt=today, then=Value(Outcome.NO_ANSWER.value)),
        default=F("outcome"),
        output_field=CharField(),
    )
    for c, a, kind, n in (
        Filing.objects.annotate(kind=effective)
        .values_list("campaign_id", "addressee_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        a = a or OTHER
        base[(c, a, kind)] = base.get((c, a, kind), 0) + n
        pairs.setdefault(c, set()).add(a)
    for c, a_set in pairs.items():
        a_set.add(campaigns[c].addressee_id)

    # 2. Days from sending to the answer, for answered filings.
    days: dict[tuple[int, int], list[int]] = {}
    for c, a, sent, answered in Filing.objects.filter(outcome__in=ANSWER_KINDS, answered_on__isnull=False).values_list(
        "campaign_id", "addressee_id", "sent_on", "answered_on"
    ):
        days.setdefault((c, a or OTHER), []).append((answered - sent).days)

    # 3. The funnel: copies per campaign; filings, registered and answered (originals only:
    #    a forwarded filing is the same letter on its way, answered when its chain is).
    copies = dict(Copy.objects.values_list("campaign_id").annotate(n=Count("id")).order_by())
    chain_answered = Q(outcome__in=ANSWER_KINDS) | Exists(
        Filing.objects.filter(
            Q(forwarded_from=OuterRef("pk")) | Q(forwarded_from__forwarded_from=OuterRef("pk")),
            outcome__in=ANSWER_KINDS,
        )
    )
    originals = Filing.objects.filter(forwarded_from__isnull=True)
    funnel_rows = (
        originals.values("campaign_id")
        .annotate(
            filed=Count("id"),
            registered=Count("id", filter=Q(registered_on__isnull=False) | ~Q(registration_number="")),
            answered=Count("id", filter=chain_answered),
        )
        .order_by()
    )
    funnel_raw = {r["campaign_id"]: r for r in funnel_rows}

    values: dict[tuple, int] = {}
    lines: list[Line] = []
    all_addressees: set[int] = set()
    for c, a_set in pairs.items():
        for a in a_set:
            all_addressees.add(a)
            for kind in KINDS:
                values[("b", c, a, kind)] = base.get((c, a, kind), 0)
            values[("ca", c, a)] = sum(values[("b", c, a, kind)] for kind in KINDS)
            lines.append(Line(tuple(("b", c, a, kind) for kind in KINDS), ("ca", c, a)))
        for kind in KINDS:
            values[("c", c, kind)] = sum(values[("b", c, a, kind)] for a in a_set)
            lines.append(Line(tuple(("b", c, a, kind) for a in a_set), ("c", c, kind)))
        values[("ct", c)] = sum(values[("c", c, kind)] for kind in KINDS)
        lines.append(Line(tuple(("c", c, kind) for kind in KINDS), ("ct", c)))
        lines.append(Line(tuple(("ca", c, a) for a in a_set), ("ct", c)))
        # Answered = the three answer kinds; the days-to-answer bins add up to it too.
        values[("ans", c)] = sum(values[("c", c, kind)] for kind in ANSWER_KINDS)
        lines.append(Line(tuple(("c", c, kind) for kind in ANSWER_KINDS), ("ans", c)))
        per_bin = dict.fromkeys((label for label, _f, _l in BINS), 0)
        for a in a_set:
            for d in days.get((c, a), []):
                per_bin[_bin(d)] += 1
        for label, n in per_bin.items():
            values[("bin", c, label)] = n
        lines.append(Line(tuple(("bin", c, label) for label, _f, _l in BINS), ("ans", c)))
        # Funnel steps are counts of members' acts, each published on its own.
        raw = funnel_raw.get(c, {})
        values[("f", c, "copies")] = copies.get(c, 0)
        for step in ("filed", "registered", "answered"):
            values[("f", c, step)] = raw.get(step, 0)

    addressee_campaigns: dict[int, list[int]] = {a: [] for a in all_addressees}
    for c, a_set in pairs.items():
        for a in a_set:
            addressee_campaigns[a].append(c)
    for a, cs in addressee_campaigns.items():
        if a == OTHER:
            continue
        for kind in KINDS:
            values[("a", a, kind)] = sum(values[("b", c, a, kind)] for c in cs)
            lines.append(Line(tuple(("b", c, a, kind) for c in cs), ("a", a, kind)))
        values[("at", a)] = sum(values[("a", a, kind)] for kind in KINDS)
        lines.append(Line(tuple(("a", a, kind) for kind in KINDS), ("at", a)))
        lines.append(Line(tuple(("ca", c, a) for c in cs), ("at", a)))

    safe = suppress(values, lines, k)

    def answered_days(keys: list[tuple[int, int]]) -> list[int]:
        return [d for key in keys for d in days.get(key, [])]

    figures: dict[int, CampaignFigures] = {}
    for c, a_set in pairs.items():
        row = Row(
            key=str(c),
            name=campaigns[c].title,
            kinds={kind: safe[("c", c, kind)] for kind in KINDS},
            total=safe[("ct", c)],
            answered=safe[("ans", c)],
        )
        if row.answered is not None:
            row.median_days = _median(answered_days([(c, a) for a in a_set]), k)
        by_addressee = []
        for a in sorted(a_set, key=lambda x: (x != campaigns[c].addressee_id, addressee_names.get(x, ""))):
            sub = Row(
                key=str(a),
                name=addressee_names.get(a, ""),
                kinds={kind: safe[("b", c, a, kind)] for kind in KINDS},
                total=safe[("ca", c, a)],
            )
            answers = [safe[("b", c, a, kind)] for kind in ANSWER_KINDS]
            if None not in answers:
                sub.answered = sum(answers)
                sub.median_days = _median(days.get((c, a), []), k)
            by_addressee.append(sub)
        figures[c] = CampaignFigures(
            campaign_id=c,
            row=row,
            by_addressee=by_addressee,
            funnel={step: safe[("f", c, step)] for step in FUNNEL},
            bins=[(label, safe[("bin", c, label)]) for label, _f, _l in BINS],
        )

    addressee_rows = []
    for a, cs in sorted(addressee_campaigns.items(), key=lambda item: addressee_names.get(item[0], "")):
        if a == OTHER:
            continue
        row = Row(
            key=str(a),
            name=addressee_names.get(a, ""),
            kinds={kind: safe[("a", a, kind)] for kind in KINDS},
            total=safe[("at", a)],
        )
        answers = [row.kinds[kind] for kind in ANSWER_KINDS]
        if None not in answers:
            row.answered = sum(answers)
            row.median_days = _median(answered_days([(c, a) for c in cs]), k)
        addressee_rows.append(row)
    return Ledger(as_of=today, k=k, campaigns=figures, addressees=addressee_rows)


def ledger(*, today: dt.date) -> Ledger:
    """The cached ledger: recomputed when a filing changes or the day changes."""
    from homeward.appeals.services import APPEALS_VERSION

    k = settings.K_ANONYMITY
    key = f"appeals-ledger:{version_current(APPEALS_VERSION)}:{today.isoformat()}:{k}"
    result = cache.get(key)
    if result is None:
        result = compute(today=today, k=k)
        cache.set(key, result, 3600)
    return result
