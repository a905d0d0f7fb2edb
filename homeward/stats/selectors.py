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
from django.db import connection

from homeward.chapters.models import Membership
from homeward.chapters.selectors import chapters_by_region
from homeward.families.models import LovedOne, Status
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
    followers: dict[str, int | None]
    months: list[str]
    movement: Group
    groups: list[Group]


def _days_sql() -> str:
    """Days served as SQL, native on each engine (one parameter: today)."""
    if connection.vendor == "postgresql":
        return "(COALESCE(service_ended_on, %s::date) - mobilized_on)"
    return "CAST(julianday(COALESCE(service_ended_on, %s)) - julianday(mobilized_on) AS INTEGER)"


def quantiles(today: dt.date) -> dict[int | None, dict[str, float]]:
    """Quartiles of days served by region id, and movement-wide under the key None.

    One query, portable to SQLite and PostgreSQL: a histogram of days served per region
    (a hash aggregate, no sort of the records), cumulative counts over it with window
    functions, and only the few histogram rows that hold the wanted ranks come back.
    Linear interpolation between ranks, as PostgreSQL's percentile_cont does.
    """
    table = connection.ops.quote_name(LovedOne._meta.db_table)
    days = _days_sql()
    rank_terms = []
    for num, den in ((1, 4), (1, 2), (3, 4)):
        for extra in (1, 2):
            r = f"((tot - 1) * {num} / {den} + {extra})"
            rank_terms.append(f"(cum - n < {r} AND {r} <= cum)")
    sql = (
        f"WITH h AS (SELECT region_id, {days} AS days, COUNT(*) AS n FROM {table} GROUP BY region_id, {days}), "  # noqa: S608
        "u AS (SELECT region_id, days, n FROM h UNION ALL SELECT NULL, days, CAST(SUM(n) AS BIGINT) FROM h GROUP BY days), "
        "c AS (SELECT region_id, days, n, "
        "CAST(SUM(n) OVER (PARTITION BY region_id ORDER BY days) AS BIGINT) AS cum, "
        "CAST(SUM(n) OVER (PARTITION BY region_id) AS BIGINT) AS tot FROM u) "
        f"SELECT region_id, days, cum - n + 1, cum, tot FROM c WHERE {' OR '.join(rank_terms)}"
    )
    spans: dict[int | None, list[tuple[int, int, int]]] = {}
    totals: dict[int | None, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, today])
        for region_id, value, first, last, tot in cursor.fetchall():
            spans.setdefault(region_id, []).append((int(first), int(last), int(value)))
            totals[region_id] = int(tot)

    def at(group, rank):
        for first, last, value in spans[group]:
            if first <= rank <= last:
                return value
        return None

    result = {}
    for group, tot in totals.items():
        result[group] = {}
        for name, p in QUANTILES.items():
            pos = (tot - 1) * p
            lo = int(pos)
            low = at(group, lo + 1)
            high = at(group, lo + 2)
            high = low if high is None else high
            result[group][name] = round(low + (pos - lo) * (high - low), 1)
    return result


def compute(*, today: dt.date, k: int, demand: int) -> Stats:
    chapters = list(chapters_by_region())
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

    # 1. One scan: loved ones by region and month of mobilization (a stored column, so
    #    no date arithmetic per row to group by), with the statuses and how many serve
    #    beyond the demanded term as FILTER counts of the same groups.
    table = connection.ops.quote_name(LovedOne._meta.db_table)
    status_sql = ", ".join("COUNT(*) FILTER (WHERE status = %s)" for _ in statuses)
    sql = (
        f"SELECT region_id, mobilized_month, COUNT(*), {status_sql}, "  # noqa: S608  (no user input)
        f"COUNT(*) FILTER (WHERE {_days_sql()} > %s) "
        f"FROM {table} GROUP BY region_id, mobilized_month"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*statuses, today, demand])
        grouped = cursor.fetchall()
    months: set[str] = set()
    for region_id, month_value, n, *counts in grouped:
        row = row_of_region.get(region_id, OTHER)
        month = str(month_value)[:7]
        beyond = counts.pop()
        months.add(month)
        for s, c in zip(statuses, counts, strict=True):
            add(("status", row, s), c)
            add(("coltotal", s), c)
        add(("rowtotal", row), n)
        add(("grand",), n)
        add(("demand", row, "beyond"), beyond)
        add(("demand", row, "within"), n - beyond)
        add(("demandtotal", "beyond"), beyond)
        add(("demandtotal", "within"), n - beyond)
        add(("month", row, month), n)
        add(("monthtotal", month), n)
    months_sorted = _month_range(months)
    for m in months_sorted:
        values.setdefault(("monthtotal", m), 0)
        for row in rows:
            values.setdefault(("month", row, m), 0)

    # 2. Members by chapter, and movement-wide (distinct accounts: one may belong to
    #    several chapters), in one query. (account, chapter) is unique, so a plain count
    #    per chapter counts distinct members.
    membership = connection.ops.quote_name(Membership._meta.db_table)
    slug_of = {c.pk: c.slug for c in chapters}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT chapter_id, COUNT(*) FROM {membership} GROUP BY chapter_id "  # noqa: S608  (no user input)
            f"UNION ALL SELECT NULL, COUNT(DISTINCT account_id) FROM {membership}"
        )
        for chapter_id, n in cursor.fetchall():
            values[("members",) if chapter_id is None else ("members", slug_of[chapter_id])] = n

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

    # 3. Quartiles of days served, only for groups of at least k.
    by_region_q = quantiles(today)
    movement_q = by_region_q.get(None)

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
        followers=_followers(k),
        months=months_sorted,
        movement=movement,
        groups=groups,
    )


def _followers(k: int) -> dict[str, int | None]:
    """The latest daily follower count per source (app, Telegram), suppressed under k."""
    from homeward.channel.models import FollowerCount

    latest = {}
    for source in FollowerCount.Source.values:
        row = FollowerCount.objects.filter(source=source).order_by("-day").first()
        if row is not None:
            latest[source] = row.count if row.count >= k else None
    return latest


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
