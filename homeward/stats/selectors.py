"""Movement statistics from aggregate queries only, k-anonymous, cached per data version.

The figures are grouped by the loved one's call-up region: each chapter is the movement
in one federal subject, and loved ones from regions without a chapter form one
"other regions" group. A constant number of queries, whatever the number of records;
no Python loop over individual records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from homeward.chapters.models import Chapter, Membership
from homeward.families.models import LovedOne, Status
from homeward.lib.dbfuncs import DaysBetween, YearMonth
from homeward.lib.kanon import Line, suppress
from homeward.lib.versions import PUBLIC_STATS, version_current

OTHER = "other"
QUANTILES = {"q1": 0.25, "median": 0.5, "q3": 0.75}


@dataclass
class Group:
    key: str  # chapter slug, or "other", or "movement"
    code: str
    name_ru: str
    name_en: str
    loved_ones: int | None = None
    by_status: dict[str, int | None] = field(default_factory=dict)
    beyond_demand: int | None = None
    days_served: dict[str, float] | None = None
    by_month: dict[str, int | None] = field(default_factory=dict)
    members: int | None = None


@dataclass
class Stats:
    as_of: dt.date
    k: int
    demanded_term_days: int
    chapters: int
    months: list[str]
    movement: Group
    groups: list[Group]


def _days(today: dt.date):
    return DaysBetween(Coalesce("service_ended_on", Value(today)), "mobilized_on")


def _quantiles(today: dt.date, partition: bool) -> dict[int | None, dict[str, float]]:
    """Quartiles of days served per region (or movement-wide) with window functions."""
    window = {"partition_by": [F("region_id")]} if partition else {}
    ranked = LovedOne.objects.annotate(
        days=_days(today),
        rn=Window(RowNumber(), order_by=[_days(today).asc(), F("id").asc()], **window),
        cnt=Window(Count("id"), **window),
    )
    positions = Q()
    for num, den in ((1, 4), (1, 2), (3, 4)):
        lo = (F("cnt") - 1) * num / den + 1
        positions |= Q(rn=lo) | Q(rn=lo + 1)
    found: dict[int | None, dict[int, int]] = {}
    counts: dict[int | None, int] = {}
    for region_id, rn, cnt, days in ranked.filter(positions).values_list("region_id", "rn", "cnt", "days"):
        group = region_id if partition else None
        found.setdefault(group, {})[rn] = days
        counts[group] = cnt
    result = {}
    for group, by_rank in found.items():
        cnt = counts[group]
        result[group] = {}
        for name, p in QUANTILES.items():
            pos = (cnt - 1) * p
            lo = int(pos)
            low = by_rank[lo + 1]
            high = by_rank.get(lo + 2, low)
            result[group][name] = round(low + (pos - lo) * (high - low), 1)
    return result


def compute(*, today: dt.date, k: int, demand: int) -> Stats:
    chapters = list(Chapter.objects.select_related("region").order_by("region__name_ru"))
    row_of_region = {c.region_id: c.slug for c in chapters}
    rows = [c.slug for c in chapters] + [OTHER]
    statuses = [s.value for s in Status]

    values: dict[tuple, int] = {}

    def add(key, n):
        values[key] = values.get(key, 0) + n

    for key in [("grand",), ("members",), *[("coltotal", s) for s in statuses]]:
        values[key] = 0
    for row in rows:
        values[("rowtotal", row)] = 0
        values[("members", row)] = 0
        for s in statuses:
            values[("status", row, s)] = 0
        for part in ("beyond", "within"):
            values[("demand", row, part)] = 0
    for part in ("beyond", "within"):
        values[("demandtotal", part)] = 0

    # 1. Loved ones by region and status, with how many are beyond the demanded term.
    status_rows = (
        LovedOne.objects.annotate(days=_days(today))
        .values("region_id", "status")
        .annotate(n=Count("id"), beyond=Count("id", filter=Q(days__gt=demand)))
    )
    for r in status_rows:
        row = row_of_region.get(r["region_id"], OTHER)
        add(("status", row, r["status"]), r["n"])
        add(("rowtotal", row), r["n"])
        add(("coltotal", r["status"]), r["n"])
        add(("grand",), r["n"])
        add(("demand", row, "beyond"), r["beyond"])
        add(("demand", row, "within"), r["n"] - r["beyond"])
        add(("demandtotal", "beyond"), r["beyond"])
        add(("demandtotal", "within"), r["n"] - r["beyond"])

    # 2. Histogram by month of mobilization, by region.
    month_rows = (
        LovedOne.objects.annotate(month=YearMonth("mobilized_on")).values("region_id", "month").annotate(n=Count("id"))
    )
    months: set[str] = set()
    for r in month_rows:
        row = row_of_region.get(r["region_id"], OTHER)
        months.add(r["month"])
        add(("month", row, r["month"]), r["n"])
        add(("monthtotal", r["month"]), r["n"])
    months_sorted = _month_range(months)
    for m in months_sorted:
        values.setdefault(("monthtotal", m), 0)
        for row in rows:
            values.setdefault(("month", row, m), 0)

    # 3. Members by chapter (distinct accounts), and movement-wide.
    for r in Membership.objects.values("chapter__slug").annotate(n=Count("account_id", distinct=True)):
        values[("members", r["chapter__slug"])] = r["n"]
    values[("members",)] = Membership.objects.values("account_id").distinct().count()

    lines = []
    for row in rows:
        lines.append(Line(tuple(("status", row, s) for s in statuses), ("rowtotal", row)))
        lines.append(Line((("demand", row, "beyond"), ("demand", row, "within")), ("rowtotal", row)))
        lines.append(Line(tuple(("month", row, m) for m in months_sorted), ("rowtotal", row)))
    for s in statuses:
        lines.append(Line(tuple(("status", row, s) for row in rows), ("coltotal", s)))
    for part in ("beyond", "within"):
        lines.append(Line(tuple(("demand", row, part) for row in rows), ("demandtotal", part)))
    for m in months_sorted:
        lines.append(Line(tuple(("month", row, m) for row in rows), ("monthtotal", m)))
    lines.append(Line(tuple(("rowtotal", row) for row in rows), ("grand",)))
    lines.append(Line(tuple(("coltotal", s) for s in statuses), ("grand",)))
    lines.append(Line((("demandtotal", "beyond"), ("demandtotal", "within")), ("grand",)))
    lines.append(Line(tuple(("monthtotal", m) for m in months_sorted), ("grand",)))
    lines.append(Line(tuple(("members", row) for row in rows if row != OTHER), ("members",)))
    values.pop(("members", OTHER), None)
    safe = suppress(values, lines, k)

    # 4. Quartiles of days served, only for groups of at least k.
    by_region_q = _quantiles(today, partition=True)
    movement_q = _quantiles(today, partition=False).get(None)

    def group(key, code, name_ru, name_en, row):
        g = Group(key=key, code=code, name_ru=name_ru, name_en=name_en)
        g.loved_ones = safe[("rowtotal", row)]
        g.by_status = {s: safe[("status", row, s)] for s in statuses}
        g.beyond_demand = safe[("demand", row, "beyond")]
        g.by_month = {m: safe[("month", row, m)] for m in months_sorted}
        g.members = safe.get(("members", row))
        return g

    groups = []
    for c in chapters:
        g = group(c.slug, c.region.code, c.region.name_ru, c.region.name_en, c.slug)
        if values[("rowtotal", c.slug)] >= k:
            g.days_served = by_region_q.get(c.region_id)
        groups.append(g)
    # Regions without a chapter are pooled; their days served are reported movement-wide only.
    groups.append(group(OTHER, "", "Другие регионы", "Other regions", OTHER))

    movement = Group(key="movement", code="", name_ru="Всё движение", name_en="Whole movement")
    movement.loved_ones = safe[("grand",)]
    movement.by_status = {s: safe[("coltotal", s)] for s in statuses}
    movement.beyond_demand = safe[("demandtotal", "beyond")]
    movement.by_month = {m: safe[("monthtotal", m)] for m in months_sorted}
    movement.members = safe[("members",)]
    if values[("grand",)] >= k:
        movement.days_served = movement_q
    return Stats(
        as_of=today,
        k=k,
        demanded_term_days=demand,
        chapters=len(chapters),
        months=months_sorted,
        movement=movement,
        groups=groups,
    )


def _month_range(months: set[str]) -> list[str]:
    """Every month from the first to the last seen, so gaps show as zero (suppressed)."""
    if not months:
        return []
    first, last = min(months), max(months)
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def movement_stats(*, today: dt.date | None = None) -> Stats:
    """The cached statistics: recomputed when the data version or the day changes."""
    from django.utils import timezone

    today = today or timezone.localdate()
    k, demand = settings.K_ANONYMITY, settings.DEMANDED_TERM_DAYS
    key = f"stats:{version_current(PUBLIC_STATS)}:{today.isoformat()}:{k}:{demand}"
    stats = cache.get(key)
    if stats is None:
        stats = compute(today=today, k=k, demand=demand)
        cache.set(key, stats, 3600)
    return stats
