"""Benchmark: a Direct-Line-sized question campaign (3,000,000 questions by default).

    HOMEWARD_VAR_DIR=/tmp/hwvar-q .venv/bin/python bench/questions_scale.py            # 3M, SQLite
    HOMEWARD_VAR_DIR=/tmp/hwvar-q .venv/bin/python bench/questions_scale.py --n 100000 # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_qbench .venv/bin/python bench/questions_scale.py --n 300000

Steps, each timed and printed:
1. generate N questions (bench/questions_synth.py: Zipf-popular intents, regional
   variants, greetings, typos) and store them as the submit path would — text, terms
   (pymorphy3 lemmas, cached), form key — all in one placeholder cluster, approved;
2. the full re-cluster, exactly as `manage.py questions_recluster` runs it, in a child
   process: wall time and peak memory (the child's maximum resident set); then again,
   the steady state where almost nothing moves;
3. the similar-question lookup at submit time against the whole campaign (lemmatize the
   draft, blocking keys, candidates, cosine — what the preview page and every submit do):
   p50/p95/p99 over --lookups drafts; and the whole submit (lookup plus writes);
4. the ranking page (GET /questions/<id>/ as a signed-in member, page 1 and a deep page),
   and its query alone in the order it uses (weights under k sort as 0) against the exact
   order (the baseline);
5. a coordinator's page of one group, with its merge suggestions (the largest group and
   one of median size);
6. a coordinator merges the two largest groups (every question of them is pinned), the
   re-cluster runs again, and steps 3 and 5 are timed again.
The machine is shared: the load average is printed with the figures.

The order under k (2026-11-27, --n 300000 --lookups 100 --pages 30, SQLite, 744 groups):
the ranking query with weights under k sorted as 0 took p50 1.6-1.8 ms against 1.1 ms for
the exact order the index serves as is; the whole page p50 34-35 ms. The masked order
sorts the campaign's visible groups instead of walking the index, so its cost grows with
the number of groups (about 0.7 µs a group here).

The whole app at 3,000,000 questions (2026-11-27, a new machine, load about 1; SQLite;
--lookups 300 --pages 30; the revised thesaurus, placement in order): stored in 188 s;
manage.py questions_recluster first 276.8 s (194.4 s computing, 80.7 s writing 2,441,212
moves; peak 1,229 MB), steady 204.3 s (0 moved; 1,185 MB); index build of a new web
process 1.7 s; lookup at submit p50 2.0 ms, p95 2.9 ms; whole submit p95 6.3 ms; ranking
page (1,694 groups, signed in) p50 20.0 / 21.1 ms, p95 20.9 / 23.3 ms (page 1 / page 16);
its query masked under k p50 1.2-1.4 ms against 0.7-0.8 ms exact.

With the thesaurus phrase fix and the group page's merge suggestions (2026-11-27, code of 3f72605
before the review's fixes, which leave groups the engine built as they were; load about
1; SQLite; --lookups 300 --pages 30): stored in 169 s; questions_recluster first 194.2 s
(141.5 s computing, 51.2 s writing 2,439,087 moves; peak 1,227 MB), steady 157.4 s;
index build 1.1 s; lookup at submit p50 1.9 ms, p95 2.3 ms; whole submit p95 5.5 ms;
ranking page (1,374 groups) p95 21.1 / 20.4 ms (page 1 / page 13); a coordinator's group
page with its suggestions p50 58.0 ms, p95 62.3 ms for the largest group (560,913
questions, the page lists its first 500) and p50 9.8 ms, p95 11.1 ms for a median one
(6 questions).

The same at 73d17b7, with the review's fixes and step 6 (2026-11-27, load about 1): stored
in 192 s; questions_recluster first 208.3 s (peak 1,229 MB), steady 159.4 s; index build
1.3 s; lookup p95 2.3 ms; whole submit p95 7.6 ms; ranking page p95 20.7 / 19.8 ms; group
page p95 56.5 ms (largest, 560,913) and 11.0 ms (median). Step 6: the merge of the two
largest groups moved 228,850 questions in 21.3 s (one request: pinning both groups' rows,
capping the exemplars, recounting the weight; inside gunicorn's 60 s timeout, but slow);
the re-cluster after it 150.7 s, peak 802 MB; the merged group of 789,763 questions, all
pinned, kept 8 exemplars; then index build 0.7 s, lookup p95 2.5 ms, whole submit p95
4.4 ms, the merged group's page p95 68.4 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentiles(samples: list[float]) -> str:
    s = sorted(samples)

    def p(q):
        return s[min(len(s) - 1, int(q * len(s)))] * 1000

    return f"p50 {p(0.5):.1f} ms, p95 {p(0.95):.1f} ms, p99 {p(0.99):.1f} ms, max {s[-1] * 1000:.1f} ms (n={len(s)})"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def setup(db: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(db)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(n: int, *, seed: int, batch: int = 20_000) -> int:
    """Store N synthetic questions; return the campaign id."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from bench.questions_synth import Campaign as Synth
    from homeward.accounts.models import Account
    from homeward.chapters.models import Chapter, Membership, Region
    from homeward.questions import text as qtext
    from homeward.questions.models import Campaign, Cluster, Question

    today = timezone.localdate()
    owner = Account.objects.filter(handle="bench_coord").first() or Account.objects.create_user(
        "bench_coord", "bench passphrase long enough", is_admin=True
    )
    region = Region.objects.get(code="RU-MOW")
    chapter, _ = Chapter.objects.get_or_create(region=region, defaults={"slug": "ru-mow"})
    member = Account.objects.filter(handle="bench_member").first() or Account.objects.create_user(
        "bench_member", "bench passphrase long enough"
    )
    Membership.objects.get_or_create(account=member, chapter=chapter)
    authors_wanted = max(1000, n // 50)
    have = Account.objects.filter(handle__startswith="qa_").count()
    if have < authors_wanted:
        Account.objects.bulk_create(
            [
                Account(handle=f"qa_{i}", handle_folded=f"qa_{i}", password="!", joined_on=today)  # noqa: S106
                for i in range(have, authors_wanted)
            ],
            batch_size=5000,
        )
    author_ids = list(Account.objects.filter(handle__startswith="qa_").values_list("pk", flat=True))
    campaign = Campaign.objects.create(
        title=f"Bench {n}",
        event="Прямая линия",
        event_on=today + dt.timedelta(days=30),
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=20),
        created_by=owner,
    )
    placeholder = Cluster.objects.create(campaign=campaign)
    table = Question._meta.db_table
    columns = (
        "campaign_id, cluster_id, author_id, chapter_id, text, terms, form_key, status, reject_reason, show_handle, "
        "newcomer, exemplar, pinned, asked_on"
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 14)})"  # noqa: S608
    synth = Synth(seed=seed)
    lemmatizing = 0.0
    started = time.perf_counter()
    rows = []
    done = 0
    for i, (_, text) in enumerate(synth.stream(n)):
        t0 = time.perf_counter()
        terms = qtext.terms(text)
        key = qtext.form_key(terms)
        lemmatizing += time.perf_counter() - t0
        rows.append(
            (campaign.pk, placeholder.pk, author_ids[i % len(author_ids)], chapter.pk, text, " ".join(terms), key,
             "approved", "", False, True, False, False, today)
        )  # fmt: skip
        if len(rows) == batch:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            done += len(rows)
            rows = []
            if done % 500_000 == 0:
                print(f"  … {done:,} stored ({time.perf_counter() - started:.0f} s)", flush=True)
    if rows:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    Campaign.objects.filter(pk=campaign.pk).update(question_count=n)
    took = time.perf_counter() - started
    print(
        f"stored {n:,} questions in {took:.0f} s; computing their terms {lemmatizing:.0f} s "
        f"({lemmatizing / n * 1e6:.1f} µs a question)",
        flush=True,
    )
    return campaign.pk


def recluster(campaign_id: int) -> dict:
    env = {**os.environ}
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "questions_recluster", str(campaign_id), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    stats = json.loads(out.stdout.strip().splitlines()[-1])
    stats["wall"] = round(time.perf_counter() - started, 1)
    return stats


def lookups(campaign_id: int, count: int, *, seed: int) -> None:
    from django.test.utils import override_settings
    from django.utils import timezone

    from bench.questions_synth import Campaign as Synth
    from homeward.accounts.models import Account
    from homeward.questions import services
    from homeward.questions.models import Campaign

    campaign = Campaign.objects.get(pk=campaign_id)
    drafts = [t for _, t in Synth(seed=seed + 1000).stream(count)]
    services.indexes_forget()
    t0 = time.perf_counter()
    services.similar(campaign, drafts[0])  # a fresh process: the index is built from the exemplars
    print(f"similarity index built from the stored exemplars (a new web process): {time.perf_counter() - t0:.1f} s")
    samples, found = [], 0
    for draft in drafts:
        t0 = time.perf_counter()
        result = services.similar(campaign, draft)
        samples.append(time.perf_counter() - t0)
        found += bool(result)
    print(f"similar-question lookup at submit time: {percentiles(samples)}; {found / count:.0%} found a similar group")
    author = Account.objects.get(handle="bench_member")
    samples = []
    with override_settings(QUESTIONS_SUBMIT_PER_DAY=10**9):
        for draft in drafts[: max(50, count // 5)]:
            t0 = time.perf_counter()
            services.question_ask(campaign=campaign, account=author, question=draft, today=timezone.localdate())
            samples.append(time.perf_counter() - t0)
    print(f"whole submit (lookup, placement, writes): {percentiles(samples)}")


def ranking(campaign_id: int, count: int) -> None:
    from django.test import Client

    from homeward.accounts.models import Account
    from homeward.questions.models import Cluster

    client = Client()
    client.force_login(Account.objects.get(handle="bench_member"), backend="django.contrib.auth.backends.ModelBackend")
    url = f"/questions/{campaign_id}/"
    public = Cluster.objects.filter(campaign_id=campaign_id, approved__gt=0).count()
    deep = max(1, public // 50 // 2)
    for path, label in ((url, "page 1"), (f"{url}?page={deep}", f"page {deep}")):
        samples, _page = timed_get(client, path, count)
        print(f"ranking page ({label} of {public:,} groups, signed in): {percentiles(samples)}")
    # The ranking query alone: the order the page uses (weights under k sort as 0, so the
    # order does not tell hidden weights apart) against the exact order it replaced, which
    # the qcluster_ranking index serves as is — the baseline, in the same run.
    from homeward.questions import selectors
    from homeward.questions.models import Campaign

    campaign = Campaign.objects.get(pk=campaign_id)
    exact = ("-weight_established", "-weight", "id")
    for label, start in (("page 1", 0), (f"page {deep}", (deep - 1) * 50)):
        for name, order in (("masked under k", selectors.ranked_order()), ("exact (baseline)", exact)):
            samples = []
            for _ in range(count):
                t0 = time.perf_counter()
                list(selectors.ranking(campaign).order_by(*order)[start : start + 51])
                samples.append(time.perf_counter() - t0)
            print(f"ranking query, {label}, {name}: {percentiles(samples)}")


def timed_get(client, path: str, count: int) -> tuple[list[float], str]:
    """GET path count times (after one untimed): the seconds each took, and the last page."""
    assert client.get(path).status_code == 200
    samples = []
    for _ in range(count):
        t0 = time.perf_counter()
        response = client.get(path)
        samples.append(time.perf_counter() - t0)
        assert response.status_code == 200
    return samples, response.content.decode()


def group_sizes(campaign_id: int) -> list[tuple[int, int]]:
    """(group, questions in it), largest first."""
    from django.db.models import Count

    from homeward.questions.models import Question

    return list(
        Question.objects.filter(campaign_id=campaign_id)
        .values("cluster_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("cluster_id", "n")
    )


def group_pages(campaign_id: int, count: int) -> None:
    """A coordinator's page of one group (its questions, the outcome form, and the merge
    suggestions: Index.neighbours against the campaign's index): the largest group and one
    of median size."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from homeward.accounts.models import Account, TOTPDevice

    sizes = group_sizes(campaign_id)
    coordinator = Account.objects.get(handle="bench_coord")
    device = TOTPDevice.objects.filter(user=coordinator, confirmed=True).first() or TOTPDevice.objects.create(
        user=coordinator, name="TOTP", confirmed=True
    )
    client = Client()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # her second factor, as after signing in with it
    session.save()
    for (cluster_id, n), label in ((sizes[0], "largest"), (sizes[len(sizes) // 2], "median")):
        samples, page = timed_get(client, f"/questions/groups/{cluster_id}/edit/", count)
        offered = page.count('id="neighbour-')
        print(
            f"group page with merge suggestions ({label} group, {n:,} questions; {offered} offered): {percentiles(samples)}"
        )


def merged(campaign_id: int, *, lookups_count: int, pages: int, seed: int) -> None:
    """A coordinator merges the two largest groups, the daily re-cluster runs, and the
    lookups and group pages are timed again: a merge pins every question of the groups,
    and the group must still hold only a few exemplars (services._cap_exemplars)."""
    from homeward.accounts.models import Account
    from homeward.questions import clustering, services
    from homeward.questions.models import Campaign, Cluster, Question

    campaign = Campaign.objects.get(pk=campaign_id)
    (first, _n), (second, _m) = group_sizes(campaign_id)[:2]
    target, other = Cluster.objects.get(pk=first), Cluster.objects.get(pk=second)
    t0 = time.perf_counter()
    moved = services.clusters_merge(
        actor=Account.objects.get(handle="bench_coord"), campaign=campaign, target=target, others=[other]
    )
    print(f"merge of the two largest groups: {moved:,} questions moved in {time.perf_counter() - t0:.1f} s", flush=True)
    again = recluster(campaign_id)
    size = Question.objects.filter(cluster_id=target.pk).count()
    exemplars = Question.objects.filter(cluster_id=target.pk, exemplar=True).count()
    print(
        f"full re-cluster after the merge: {again['wall']} s wall, peak memory {again['peak_rss_mb']:,} MB; "
        f"the merged group: {size:,} questions, all pinned, {exemplars} exemplars "
        f"(at most {clustering.MAX_EXEMPLARS}); {load()}",
        flush=True,
    )
    lookups(campaign_id, lookups_count, seed=seed)
    group_pages(campaign_id, pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=3_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument(
        "--db", type=Path, default=None, help="SQLite file (default: $HOMEWARD_VAR_DIR/bench-questions-N.sqlite3)"
    )
    args = parser.parse_args()
    var = Path(os.environ.get("HOMEWARD_VAR_DIR", ROOT / "var"))
    db = args.db or var / f"bench-questions-{args.n}.sqlite3"
    if not os.environ.get("DATABASE_URL"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    print(f"questions_scale: n={args.n:,}; {load()}", flush=True)
    setup(db)
    from django.db import connection

    print(f"database: {connection.vendor} {'' if os.environ.get('DATABASE_URL') else db}", flush=True)
    campaign_id = populate(args.n, seed=args.seed)
    print(f"after storing: {load()}", flush=True)
    first = recluster(campaign_id)
    print(
        f"full re-cluster (first, every question moves): {first['wall']} s wall ({first['seconds']} s in the command: "
        f"{first['compute_seconds']} s computing, {first['write_seconds']} s in the writing transaction; "
        f"{first['cpu_seconds']} s of CPU), "
        f"peak memory {first['peak_rss_mb']:,} MB; {first['clusters']:,} groups, "
        f"{first['exemplars']:,} exemplars, {first['moved']:,} moved; {load()}",
        flush=True,
    )
    again = recluster(campaign_id)
    print(
        f"full re-cluster (again, steady state): {again['wall']} s wall ({again['write_seconds']} s writing; "
        f"{again['cpu_seconds']} s of CPU), "
        f"peak memory {again['peak_rss_mb']:,} MB, "
        f"{again['moved']:,} moved; {load()}",
        flush=True,
    )
    lookups(campaign_id, args.lookups, seed=args.seed)
    ranking(campaign_id, args.pages)
    group_pages(campaign_id, args.pages)
    merged(campaign_id, lookups_count=args.lookups, pages=args.pages, seed=args.seed)
    print(f"done; {load()}")


if __name__ == "__main__":
    main()
