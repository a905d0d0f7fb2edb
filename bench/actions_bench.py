"""Benchmark: street actions — the daily purge, the public statistics and RSVPs.

    SQLite:      .venv/bin/python bench/actions_bench.py
    PostgreSQL:  createdb -h 127.0.0.1 -U postgres homeward_bench  (once)
                 DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward_bench .venv/bin/python bench/actions_bench.py

Options: --actions N (default 20000 actions over 89 chapters), --people N (default 200000
RSVPs, as many check-ins as half of them, a detention per hundred), --repeat N.

Prints, each beside a baseline measured in the same run:
- the purge of every action past the window (set-based deletes) against deleting the rows
  action by action, then the idempotent second run;
- the public statistics (`action_stats`, a constant number of queries) against fetching
  every action and incident and summing in Python;
- RSVPs through the service (insert + F() update) against the same with a recount of the
  RSVP rows after each write, the way the counter would be kept without F().
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", str(ROOT / "var" / "bench.sqlite3"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def timed(func, repeat: int = 1) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=20_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from homeward.accounts.models import Account
    from homeward.actions.models import RSVP, Action, CheckIn, Detention, Incident
    from homeward.actions.selectors import action_stats
    from homeward.actions.services import action_rsvp, actions_purge
    from homeward.chapters.models import Chapter, Membership, Region

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    now = timezone.now()
    rng = random.Random(42)

    def generate():
        Action.objects.all().delete()
        Membership.objects.filter(account__handle__startswith="abench").delete()
        Account.objects.filter(handle__startswith="abench").delete()
        chapters = []
        for region in Region.objects.all():
            chapter, _ = Chapter.objects.get_or_create(region=region, defaults={"slug": region.code.lower()})
            chapters.append(chapter)
        accounts = [
            Account(handle=f"abench{i}", handle_folded=f"abench{i}", password="!")  # noqa: S106
            for i in range(max(2000, args.people // 50))
        ]
        Account.objects.bulk_create(accounts, batch_size=5000)
        account_ids = list(Account.objects.filter(handle__startswith="abench").values_list("pk", flat=True))
        actions = []
        for i in range(args.actions):
            starts = now - dt.timedelta(days=rng.randint(15, 700), hours=rng.randint(0, 23))
            actions.append(
                Action(
                    chapter=rng.choice(chapters),
                    title=f"Акция {i}",
                    kind=rng.choice(["solo_picket", "group_picket", "flower_laying", "rally"]),
                    city="Город",
                    place="",
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2),
                    reveal_hours=3,
                    status=rng.choice(["done", "done", "done", "cancelled"]),
                )
            )
        Action.objects.bulk_create(actions, batch_size=5000)
        action_ids = list(Action.objects.values_list("pk", flat=True))
        seen, rsvps, checkins, detentions = set(), [], [], []
        while len(rsvps) < args.people:
            pair = (rng.choice(action_ids), rng.choice(account_ids))
            if pair in seen:
                continue
            seen.add(pair)
            rsvps.append(RSVP(action_id=pair[0], account_id=pair[1]))
            if len(rsvps) % 2:
                checkins.append(CheckIn(action_id=pair[0], account_id=pair[1], checked_out=rng.random() < 0.9))
            if len(rsvps) % 100 == 0:
                detentions.append(Detention(action_id=pair[0], account_id=pair[1]))
        RSVP.objects.bulk_create(rsvps, batch_size=5000)
        CheckIn.objects.bulk_create(checkins, batch_size=5000)
        Detention.objects.bulk_create(detentions, batch_size=5000)
        incidents = [
            Incident(
                action_id=pk,
                kind=rng.choice(["detentions", "fine", "dispersal"]),
                count=rng.randint(1, 30),
                on=now.date(),
            )
            for pk in rng.sample(action_ids, len(action_ids) // 10)
        ]
        Incident.objects.bulk_create(incidents, batch_size=5000)
        return len(rsvps), len(checkins), len(detentions), len(incidents)

    seconds, sizes = timed(generate)
    print(
        f"generated {args.actions} actions, {sizes[0]} RSVPs, {sizes[1]} check-ins, {sizes[2]} detentions, {sizes[3]} incidents in {seconds:.1f} s"
    )

    # --- statistics --------------------------------------------------------------------
    with CaptureQueriesContext(connection) as queries:
        action_stats(now=now, k=10)
    stats_s, stats = timed(lambda: action_stats(now=now, k=10), args.repeat)

    def naive_stats():
        per_chapter: dict[int, list[int]] = {}
        logged: dict[int, int] = {}
        for incident in Incident.objects.filter(kind="detentions"):
            logged[incident.action_id] = logged.get(incident.action_id, 0) + incident.count
        for action in Action.objects.all():
            if action.ends_at <= now and action.status != "cancelled":
                row = per_chapter.setdefault(action.chapter_id, [0, 0])
                row[0] += 1
                row[1] += max(action.detained_count, logged.get(action.pk, 0))
        return per_chapter

    naive_s, _ = timed(naive_stats, args.repeat)
    print(
        f"statistics: {stats_s * 1000:.0f} ms median, {len(queries)} queries ({stats.held} held, detentions {stats.detentions})"
    )
    print(f"  baseline, every row in Python: {naive_s * 1000:.0f} ms median ({naive_s / stats_s:.1f}x)")

    # --- RSVPs -------------------------------------------------------------------------
    chapter = Chapter.objects.first()
    members = list(Account.objects.filter(handle__startswith="abench")[:1000])
    target = Action.objects.create(
        chapter=chapter,
        title="Будущая",
        kind="rally",
        city="Город",
        place="x",
        starts_at=now + dt.timedelta(days=20),
        ends_at=now + dt.timedelta(days=20, hours=2),
        reveal_hours=3,
    )

    def rsvp_all():
        for m in members:
            action_rsvp(action=target, account=m, coming=True, now=now)

    rsvp_s, _ = timed(rsvp_all)
    target.refresh_from_db()
    assert target.rsvp_count == len(members)
    RSVP.objects.filter(action=target).delete()

    def rsvp_recount():
        for m in members:
            with transaction.atomic():
                RSVP.objects.get_or_create(action=target, account=m)
                Action.objects.filter(pk=target.pk).update(rsvp_count=RSVP.objects.filter(action=target).count())

    recount_s, _ = timed(rsvp_recount)
    print(f"RSVPs: {len(members) / rsvp_s:.0f} per second through the service (insert + F() update)")
    print(f"  baseline, recount after each write: {len(members) / recount_s:.0f} per second")
    Action.objects.filter(pk=target.pk).update(rsvp_count=F("rsvp_count") * 0)

    # --- purge -------------------------------------------------------------------------
    purge_s, result = timed(lambda: actions_purge(now=now))
    again_s, again = timed(lambda: actions_purge(now=now))
    print(
        f"purge: {purge_s:.2f} s for {result['actions']} actions ({result['rsvps']} RSVPs, {result['checkins']} check-ins, {result['detentions']} detentions, {result['notices']} notices)"
    )
    print(f"  second run (idempotent): {again_s * 1000:.0f} ms, {again}")
    assert RSVP.objects.exclude(action=target).count() == 0

    # Baseline: the same rows again, deleted action by action.
    generate()
    ids = list(Action.objects.filter(ends_at__lte=now - dt.timedelta(days=14)).values_list("pk", flat=True))

    def purge_one_by_one():
        for pk in ids:
            with transaction.atomic():
                RSVP.objects.filter(action_id=pk).delete()
                CheckIn.objects.filter(action_id=pk).delete()
                Detention.objects.filter(action_id=pk).delete()

    naive_purge_s, _ = timed(purge_one_by_one)
    print(f"  baseline, action by action: {naive_purge_s:.2f} s ({naive_purge_s / purge_s:.1f}x)")


if __name__ == "__main__":
    main()
