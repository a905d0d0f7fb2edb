"""Benchmark: channel page and feeds under concurrent clients, against a bare Django view.

    .venv/bin/python bench/channel_bench.py                 # SQLite (var/bench-channel.sqlite3)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward_bench .venv/bin/python bench/channel_bench.py

Generates 50,000 posts (a tenth members-only or chapter posts) and 37,000 in-app
followers, starts gunicorn with the real settings plus one bare view, and drives it
with `wrk` (Debian package `wrk`) from the same machine: each URL for --seconds with
--connections clients. Prints requests/s and latency percentiles per URL, and the
ratio of each to the bare view (the ceiling for this stack on this machine). Also
checks that a conditional GET of a feed answers 304.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
if not os.environ.get("DATABASE_URL"):
    os.environ.setdefault("SQLITE_PATH", str(ROOT / "var" / "bench-channel.sqlite3"))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def generate(posts: int, followers: int) -> None:
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from homeward.accounts.models import Account
    from homeward.channel.models import Follow, Post, PostStatus, Visibility
    from homeward.chapters.models import Chapter, Region
    from homeward.lib.markup import render_markdown

    call_command("migrate", verbosity=0)
    if Post.objects.count() == posts and Follow.objects.count() == followers:
        print(f"reusing {posts:,} posts and {followers:,} followers")
        return
    t0 = time.perf_counter()
    Post.objects.all().delete()
    Follow.objects.all().delete()
    Account.objects.filter(handle__startswith="cbench").delete()
    chapter, _ = Chapter.objects.get_or_create(region=Region.objects.get(code="RU-MOW"), defaults={"slug": "ru-mow"})
    rng = random.Random(7)
    words = [
        "мобилизованные",
        "домой",
        "срок",
        "службы",
        "возвращение",
        "жёны",
        "матери",
        "акция",
        "цветы",
        "обращение",
        "ответ",
    ]
    now = timezone.now()
    batch = []
    for i in range(posts):
        body = (
            " ".join(rng.choice(words) for _ in range(rng.randint(20, 120)))
            + f"\n\n**#{i}** [ссылка](https://example.org/{i})"
        )
        vis = Visibility.PUBLIC if rng.random() > 0.1 else rng.choice([Visibility.MEMBERS, Visibility.CHAPTER])
        batch.append(
            Post(
                body=body,
                body_html=render_markdown(body),
                visibility=vis,
                chapter=chapter if vis == Visibility.CHAPTER else None,
                status=PostStatus.PUBLISHED,
                published_at=now - dt.timedelta(minutes=posts - i),
            )
        )
        if len(batch) == 5000:
            Post.objects.bulk_create(batch)
            batch = []
    Post.objects.bulk_create(batch)
    Account.objects.bulk_create(
        [Account(handle=f"cbench{i}", handle_folded=f"cbench{i}", password="!") for i in range(followers)],  # noqa: S106
        batch_size=5000,
    )
    ids = Account.objects.filter(handle__startswith="cbench").values_list("id", flat=True)
    Follow.objects.bulk_create([Follow(account_id=i) for i in ids], batch_size=5000)
    print(f"generated {posts:,} posts and {followers:,} followers in {time.perf_counter() - t0:.1f} s")


def wrk(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "latency": lat, "errors": int(non2xx.group(1)) if non2xx else 0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--followers", type=int, default=37_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    generate(args.posts, args.followers)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "homeward.wsgi:application",
            "--config",
            "python:homeward.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bench/bare/", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        # Conditional GET: the feed's ETag gives 304 on a repeat.
        with urllib.request.urlopen(f"{base}/channel/rss.xml") as r:  # noqa: S310
            etag = r.headers["ETag"]
        req = urllib.request.Request(f"{base}/channel/rss.xml", headers={"If-None-Match": etag})  # noqa: S310
        try:
            urllib.request.urlopen(req)  # noqa: S310
            conditional = "200 (no 304!)"
        except urllib.error.HTTPError as exc:
            conditional = str(exc.code)
        print(f"conditional GET of the RSS feed with its ETag: {conditional}")

        urls = {
            "bare view (ceiling)": "/bench/bare/",
            "channel page 1": "/channel/",
            "channel page 50": "/channel/?page=50",
            "RSS feed": "/channel/rss.xml",
            "Atom feed": "/channel/atom.xml",
        }
        results = {}
        for name, path in urls.items():
            wrk(base + path, 2, args.connections)  # warm the workers' caches
            results[name] = wrk(base + path, args.seconds, args.connections)
        ceiling = results["bare view (ceiling)"]["rps"]
        print(f"gunicorn {args.workers} workers, wrk {args.connections} connections, {args.seconds} s per URL")
        for name, r in results.items():
            lat = ", ".join(f"p{k} {v}" for k, v in r["latency"].items())
            print(f"{name:<22} {r['rps']:>9.0f} req/s  {r['rps'] / ceiling:6.2f}x ceiling  {lat}  errors {r['errors']}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
