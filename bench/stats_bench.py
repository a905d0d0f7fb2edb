"""Benchmark: movement statistics over 300,000 loved ones in 89 chapters.

    SQLite:      .venv/bin/python bench/stats_bench.py
    PostgreSQL:  createdb -h 127.0.0.1 -U postgres homeward_bench  (once)
                 DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward_bench .venv/bin/python bench/stats_bench.py

Options: --rows N (default 300000), --reuse (keep data from a previous run of the same size).

Prints: data generation time; the load average; the statistics computation (cold, from
the database) as latency percentiles and query count; the stats page through the test
client, cold and cached (the process's very first request, which also imports every
view through the URLconf, on a line of its own); and, as the baseline in the same run,
the naive way — every row fetched and aggregated in Python — so the ratio shows what
the aggregate queries buy.

Figures (PostgreSQL 15, 300,000 rows, `--reuse --repeat 20`, two cores shared with
other work, load average 5-7): computation p50 517-552 ms, p95 615-687 ms, 6 queries;
page cold p50 548-581 ms, p95 665-719 ms; cached 28-31 ms; first request of a fresh
process ~1.3 s. At load ~3.3: computation p50 260 ms, p95 308 ms; page cold p50 265 ms.
Before the stored month of mobilization and the merged queries, at load ~4.2 in the
same interleaved run: p50 607 ms, p95 770 ms (p95 1,132 ms at load ~5).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", str(ROOT / "var" / "bench.sqlite3"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def percentiles(samples: list[float]) -> str:
    s = sorted(samples)
    q = lambda p: s[min(len(s) - 1, int(p * len(s)))]  # noqa: E731
    return f"p50 {q(0.5) * 1000:.0f} ms, p95 {q(0.95) * 1000:.0f} ms, max {s[-1] * 1000:.0f} ms (n={len(s)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    import datetime as dt

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from homeward.accounts.models import Account
    from homeward.chapters.models import Chapter, Membership, Region
    from homeward.families.models import ENDED, LovedOne, Status
    from homeward.lib.versions import PUBLIC_STATS, version_bump
    from homeward.stats.selectors import compute

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    today = dt.date(2026, 11, 27)

    if not (args.reuse and LovedOne.objects.count() == args.rows):
        t0 = time.perf_counter()
        LovedOne.objects.all().delete()
        Membership.objects.all().delete()
        Account.objects.filter(handle__startswith="bench").delete()
        regions = list(Region.objects.all())
        chapters = []
        for region in regions:
            chapter, _ = Chapter.objects.get_or_create(region=region, defaults={"slug": region.code.lower()})
            chapters.append(chapter)
        rng = random.Random(42)
        accounts = [Account(handle=f"bench{i}", handle_folded=f"bench{i}", password="!") for i in range(args.rows // 2)]  # noqa: S106
        Account.objects.bulk_create(accounts, batch_size=5000)
        accounts = list(Account.objects.filter(handle__startswith="bench").only("id"))
        weights = [rng.paretovariate(1.2) for _ in chapters]  # a few big chapters, many small ones
        home = rng.choices(chapters, weights=weights, k=len(accounts))
        Membership.objects.bulk_create(
            [Membership(account=a, chapter=c) for a, c in zip(accounts, home, strict=True)], batch_size=5000
        )
        statuses = [s.value for s in Status]
        status_weights = [70, 8, 6, 5, 2, 6, 3]
        start = dt.date(2022, 9, 21)
        batch = []
        for i in range(args.rows):
            owner = accounts[i % len(accounts)]
            region = home[i % len(accounts)].region
            mobilized = start + dt.timedelta(days=int(rng.expovariate(1 / 40)) % 900)
            status = rng.choices(statuses, weights=status_weights)[0]
            since = mobilized + dt.timedelta(days=rng.randint(0, max(0, (today - mobilized).days)))
            batch.append(
                LovedOne(
                    owner_id=owner.id,
                    relation="husband",
                    mobilized_on=mobilized,
                    region_id=region.id,
                    status=status,
                    status_since=since,
                    service_ended_on=since if status in ENDED else None,
                )
            )
            if len(batch) == 10_000:
                LovedOne.objects.bulk_create(batch)
                batch = []
        LovedOne.objects.bulk_create(batch)
        print(
            f"generated {args.rows:,} loved ones, {len(accounts):,} members, {len(chapters)} chapters in {time.perf_counter() - t0:.1f} s"
        )
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load anyway: statistics for the planner and the
        # visibility map (index-only scans), so a run right after generation is not an outlier.
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        with connection.cursor() as cur:
            cur.execute("SELECT current_setting('work_mem'), current_setting('max_parallel_workers_per_gather')")
            work_mem, workers = cur.fetchone()
        print(f"  work_mem {work_mem}, max_parallel_workers_per_gather {workers}")
    print(
        f"load average before the measurements: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)"
    )

    # 1. The computation itself, from the database every time. Timed without tracemalloc,
    #    which slows every allocation down and inflated this figure; the
    #    peak memory comes from one more run, traced and not timed.
    samples, queries = [], 0
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            stats = compute(today=today, k=10, demand=365)
            samples.append(time.perf_counter() - t0)
        queries = len(ctx.captured_queries)
    tracemalloc.start()
    compute(today=today, k=10, demand=365)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"statistics computation: {percentiles(samples)}; {queries} queries; peak Python memory {peak / 1e6:.1f} MB")
    print(
        f"  movement loved ones {stats.movement.loved_ones}, median days served {stats.movement.days_served['median']}"
    )

    # 2. The page through Django (test client, no network): cold (version bumped) and cached.
    #    The process's first request also loads templates and translations (once per web
    #    worker): it is printed on its own line and not counted among the cold samples.
    client = Client()
    version_bump(PUBLIC_STATS)
    cache.clear()
    t0 = time.perf_counter()
    assert client.get("/stats/").status_code == 200
    first = time.perf_counter() - t0
    cold, warm = [], []
    for _ in range(args.repeat):
        version_bump(PUBLIC_STATS)
        cache.clear()
        t0 = time.perf_counter()
        response = client.get("/stats/")
        cold.append(time.perf_counter() - t0)
        assert response.status_code == 200
        t0 = time.perf_counter()
        client.get("/stats/")
        warm.append(time.perf_counter() - t0)
    print(f"stats page, first request of the process (cold, loads templates): {first * 1000:.0f} ms")
    print(f"stats page, cold (recomputed): {percentiles(cold)}")
    print(f"stats page, cached:            {percentiles(warm)}")

    # 3. Baseline in the same run: fetch every row and aggregate in Python.
    base = []
    for _ in range(max(1, args.repeat // 2)):
        reset_queries()
        t0 = time.perf_counter()
        per_region: dict[int, list[int]] = {}
        for region_id, mobilized, ended in LovedOne.objects.values_list(
            "region_id", "mobilized_on", "service_ended_on"
        ).iterator(chunk_size=20000):
            per_region.setdefault(region_id, []).append(((ended or today) - mobilized).days)
        _ = {r: (len(v), statistics.median(v)) for r, v in per_region.items()}
        base.append(time.perf_counter() - t0)
    print(f"baseline, per-row Python aggregation (counts and medians only): {percentiles(base)}")
    print(
        f"ratio baseline / aggregate computation (p50): {sorted(base)[len(base) // 2] / sorted(samples)[len(samples) // 2]:.1f}x"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
