"""Benchmark: co-signing a collective letter at petition-site scale, and personal-copy PDFs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homeward_appeals_bench \\
        .venv/bin/python bench/appeals_bench.py [--seconds 60] [--workers 3] [--connections 48] [--pdfs 1000]
    (the database is created if missing; --reuse keeps the generated accounts and sessions;
     --async-commit runs with APPEALS_SIGN_ASYNC_COMMIT; --readers 0 drops the page readers;
     --touched-ago 120 makes every signing POST also write its session's expiry;
     --full-chain signs without FastSignMiddleware; --threads N runs gthread workers;
     --client python uses the old asyncio client instead of wrk)

Not a test and not run in CI. What it does:

1. Generates --accounts accounts (default 100,000), each with a real database session and a
   CSRF secret (both derived from the account id — a benchmark database only), and one
   open movement-wide campaign.
2. Starts gunicorn (sync workers, the real settings and middleware: sessions with the idle
   timeout, CSRF, authentication, the second-factor and language middleware, no-store).
3. Two ceilings for this stack on this machine, measured in the same run: `wrk` on a bare
   anonymous view, and a signed-in POST that does nothing (session, CSRF, auth) through the
   same client as the signatures.
4. Fires co-signatures for --seconds over --connections connections with wrk
   (bench/appeals_sign.lua), every POST from a different signed-in account with its session
   cookie and CSRF token, exactly as a browser form posts. Each signer's session was last
   used --touched-ago seconds before the start (0: she has just loaded the campaign page).
   Meanwhile --readers signed-in readers load the campaign page (the counter included) in a
   loop (bench/appeals_read.lua). wrk stops sending at the deadline and waits for every
   answer, so nothing is left in flight.
5. Checks: the campaign's counter == the number of signature rows == the number of 302
   answers, every account that got a 302 has its signature (no signature lost), and the
   counter each reader saw never went down.
6. Prints the CPU each request cost (gunicorn workers, PostgreSQL, the load generator):
   it moves far less than requests a second with what else runs on the shared machine.
7. The signing statement from threads straight to PostgreSQL (no HTTP, no Django): the
   database's own ceiling for this path, committed three ways (services._one_statement).
8. Renders --pdfs personal copies with WeasyPrint and prints the time and CPU per PDF.

Prints the load average before and after: the machine is shared, and figures move with it.

Figures (2 vCPUs shared with other agents, PostgreSQL 15 on the same machine; default
arguments, 60 s, 2 readers; "before" is the code at e713b7a with this bench and 6 workers):

    before: 284 co-signatures/s, p50 168 ms p99 195 ms; 6.9 ms of CPU per signature;
            signed-in POST that does nothing 473/s; 1,000 PDFs in 44.5 s (load 3.1-5.1)
    after:  479 co-signatures/s, p50 99 ms p99 123 ms; 3.9 ms of CPU per signature;
            signed-in POST that does nothing 1,061/s; 1,000 PDFs in 28.7 s (load 1.7-2.7)
            425/s with --touched-ago 120, 531/s with --async-commit; count check OK in all

The target of 1,000/s is not reached: on these two cores a signed-in POST that does nothing
tops out at ~1,060/s, and a co-signature costs twice its CPU.

Third pass (2026-11-27; the machine slower that day: the do-nothing POST 614-824/s; 30 s runs,
--pdfs 0 --skip-sql --reuse, alternating, same database). FastSignMiddleware (the short chain
for co-signing, appeals/fastsign.py) against --full-chain, and group commit (groupcommit.py):

    full chain:   287 and 276 co-signatures/s; 6.65 / 6.85 ms of CPU per signature
                  (4.96 / 5.13 ms gunicorn, 1.43 / 1.46 ms PostgreSQL)
    short chain:  333 and 345 co-signatures/s, p50 135 ms p99 182 ms; 5.71 / 5.50 ms
                  (4.22 / 4.05 ms gunicorn, 1.26 / 1.21 ms PostgreSQL); count check OK in all
    in one process, no HTTP (cProfile harness, 1,500 POSTs, 3 alternations): 2.6-2.8 ms of
    CPU per co-signature on the short chain, 3.2-3.6 ms on the full one, 1.5-1.8 ms for the
    signed-in POST that does nothing
    --workers 2 --threads 8 --readers 0 (gthread, group commit forms batches): 428/s,
    against 310/s with 3 sync workers and no readers in the same hour; with page readers
    gthread gave the readers a larger share and fewer co-signatures (300/s at 2 × 6)

Still short of 1,000/s by about 3×. What remains per co-signature is four round trips
(session, account, the campaign's row, the statement), each ~0.15-0.25 ms of Python and
about as much PostgreSQL, plus gunicorn's own ~0.5 ms per connection.

Fourth pass (2026-11-27, a new machine; default arguments, --reuse): where the time goes,
measured in the same run (the in-process phase: the same POSTs straight into
homeward.wsgi.application; and gunicorn serving bench/bare_wsgi.py, a WSGI app that does
nothing):

    short chain, 60 s:  449 co-signatures/s, p50 95 ms p99 211 ms; 3.81 ms of CPU each under
                        load (2.76 gunicorn, 0.89 PostgreSQL, 0.16 wrk); count check OK
                        (27,021 = 27,021 = 27,021); page readers 17.4 loads/s, p99 229 ms
    --full-chain, 60 s: 270/s, p50 181 ms p99 262 ms; 4.58 ms of CPU each; count check OK
    in one process, no HTTP (2,000 each; three runs on the short chain, two on the full):
        co-signature, short chain   1.29-1.50 ms Django + 0.72-0.77 ms PostgreSQL
                                    → at most 891-994/s on 2 idle CPUs if HTTP cost nothing
        co-signature, full chain    1.88-2.28 ms Django + 0.88-1.10 ms PostgreSQL → 591-702/s
        signed-in POST doing nothing 0.72-0.92 ms Django + 0.23-0.30 ms PostgreSQL → 1,650-2,070/s
    gunicorn alone: 4,474-7,675 req/s (3 sync workers; the same configuration, minutes apart)
    1,000 personal-copy PDFs: 27.7 s, 27 ms of CPU each; the signing statement alone from 16
    threads: 3,518/s (flush after unlock, the default), 1,388/s (plain synchronous commit)

So gunicorn is not what stops 1,000/s (~0.3-0.45 ms a request): Django's request path with
the checks the issue names (session, CSRF, authentication) and a durable write already costs
about 2 ms of CPU per co-signature with the HTTP server taken away, which is 1,000/s only if
both CPUs did nothing else; under load each request costs nearly twice its in-process CPU
(two busy vCPUs run slower than one, and the page readers take their share). 1,000/s on this
machine would need a signing path outside Django's request handling — its own session,
CSRF and authentication checks and raw SQL — which is exactly the code that must not be
written twice on a platform whose users are targeted; or a larger machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/homeward_appeals_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bench_settings"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("DB_CONN_MAX_AGE", "600")

HANDLE_PREFIX = "abench"
UNUSABLE = "!"  # an unusable password hash: these accounts only ever use the sessions made below
CAMPAIGN_TITLE = "Benchmark: верните мобилизованных домой"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _children(ppid: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == ppid:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


class CpuMeter:
    """CPU seconds used during a phase by the gunicorn workers, PostgreSQL (the backends of
    this database and the server's own helpers: WAL writer, checkpointer...) and the load
    generator (this process and every child it has waited for, i.e. wrk). Unlike requests a
    second, the CPU a request costs hardly moves with whatever else runs on the machine."""

    def __init__(self, server_pid: int, *, own_backend: bool = False):
        self.server_pid = server_pid
        self.own_backend = own_backend  # count this process's own connection (the in-process phase)

    def _pg_pids(self) -> list[int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE (datname = current_database() OR datname IS NULL) "
                "AND (pid <> pg_backend_pid() OR %s)",
                [self.own_backend],
            )
            return [row[0] for row in cursor.fetchall()]

    def sample(self) -> dict[str, dict[int, float]]:
        import resource

        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "web": {pid: _cpu_of(pid) for pid in [self.server_pid, *_children(self.server_pid)]},
            "db": {pid: _cpu_of(pid) for pid in self._pg_pids()},
            "client": {0: own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime},
        }

    @staticmethod
    def used(before, after) -> dict[str, float]:
        # A process that started during the phase counts from zero.
        return {k: sum(v - before[k].get(pid, 0.0) for pid, v in after[k].items()) for k in after}


def cpu_line(used: dict[str, float], n: int, wall: float) -> str:
    total = sum(used.values())
    per = {k: v / n * 1000 for k, v in used.items()} if n else {}
    return (
        f"CPU per request: {per.get('web', 0):.2f} ms gunicorn, {per.get('db', 0):.2f} ms PostgreSQL, "
        f"{per.get('client', 0):.2f} ms load generator = {total / n * 1000 if n else 0:.2f} ms "
        f"({total / wall:.2f} of {os.cpu_count()} CPUs busy with them) → at most "
        f"{os.cpu_count() * n / total if total else 0:,.0f} per second on {os.cpu_count()} idle CPUs"
    )


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(p * len(s)))] * 1000 if s else float("nan")


def latency_line(samples: list[float]) -> str:
    return ", ".join(f"p{int(p * 100)} {pct(samples, p):.1f} ms" for p in (0.5, 0.9, 0.99)) + (
        f", max {max(samples) * 1000:.0f} ms" if samples else ""
    )


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        print("warning: not PostgreSQL — the figures are not the ones the issue asks for")
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


# --- data ---------------------------------------------------------------------------------


def _account(model, handle: str):
    """An unsaved account as `save()` would complete it (bulk_create skips save)."""
    account = model(handle=handle, password=UNUSABLE)
    if hasattr(account, "handle_folded"):
        from homeward.accounts.models import fold_handle

        account.handle_folded = fold_handle(handle)
    return account


def _derived(pk: int, purpose: str) -> str:
    """32 lowercase hex characters, stable per account: a session key or a CSRF secret."""
    import hashlib

    return hashlib.sha256(f"appeals-bench:{purpose}:{pk}".encode()).hexdigest()[:32]


def generate(accounts: int, reuse: bool):
    """Accounts with sessions and CSRF secrets; returns (campaign, [(handle_id, session_key, csrf)])."""
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.utils import timezone

    from homeward.accounts.models import Account
    from homeward.appeals.models import Addressee, Campaign

    call_command("migrate", verbosity=0)
    campaign = Campaign.objects.filter(title=CAMPAIGN_TITLE).first()
    if campaign is None:
        admin = Account.objects.create(handle=f"{HANDLE_PREFIX}admin", is_admin=True)
        campaign = Campaign.objects.create(
            title=CAMPAIGN_TITLE,
            summary="Подпишите коллективное письмо.",
            addressee=Addressee.objects.create(
                official="Министр обороны Российской Федерации", body="Министерство обороны Российской Федерации"
            ),
            channels=["site", "gosuslugi", "post"],
            template="Я, {full_name}, прошу вернуть домой {loved_one_name}. {today}",
            opens_on=timezone.localdate() - dt.timedelta(days=1),
            scope="movement",
            created_by=admin,
        )
    existing = Account.objects.filter(handle__startswith=f"{HANDLE_PREFIX}u").count()
    t0 = time.perf_counter()
    if not (reuse and existing >= accounts):
        Session.objects.all().delete()
        Account.objects.filter(handle__startswith=f"{HANDLE_PREFIX}u").delete()
        for start in range(0, accounts, 5000):
            Account.objects.bulk_create(
                [_account(Account, f"{HANDLE_PREFIX}u{i}") for i in range(start, min(accounts, start + 5000))]
            )
        print(f"generated {accounts:,} accounts in {time.perf_counter() - t0:.1f} s")
    # A real signed-in session per account, as force_login makes. Keys and CSRF secrets are
    # derived from the account id, so --reuse can rebuild the list without decoding sessions.
    t0 = time.perf_counter()
    ids = list(Account.objects.filter(handle__startswith=HANDLE_PREFIX).order_by("pk").values_list("pk", flat=True))
    creds = [(pk, _derived(pk, "session"), _derived(pk, "csrf")) for pk in ids]
    if reuse and Session.objects.count() == len(ids):
        print(f"reusing {len(creds):,} sessions")
        return campaign, creds
    Session.objects.all().delete()
    store = SessionStore()
    expire = timezone.now() + dt.timedelta(hours=12)
    batch = []
    backend = "django.contrib.auth.backends.ModelBackend"
    by_pk = {}
    for account in (
        Account.objects.filter(pk__in=ids).only("pk", "password", "session_generation").iterator(chunk_size=5000)
    ):
        by_pk[account.pk] = account.get_session_auth_hash()
    for pk, key, _csrf in creds:
        data = {SESSION_KEY: str(pk), BACKEND_SESSION_KEY: backend, HASH_SESSION_KEY: by_pk[pk]}
        batch.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        if len(batch) == 5000:
            Session.objects.bulk_create(batch)
            batch = []
    Session.objects.bulk_create(batch)
    print(f"made {len(creds):,} sessions with CSRF secrets in {time.perf_counter() - t0:.1f} s")
    return campaign, creds


def reset(campaign, touched_ago: int | None = None) -> None:
    """No signatures; with touched_ago, every session as if its last request was that many
    seconds ago (its expiry then last written: the idle timeout counts from it)."""
    import datetime as dt

    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.db import connection, transaction
    from django.utils import timezone

    from homeward.appeals.models import Campaign, Signature

    with transaction.atomic():
        Signature.objects.filter(campaign=campaign).delete()
        Campaign.objects.filter(pk=campaign.pk).update(signature_count=0, closed=False)
        if touched_ago is not None:
            Session.objects.update(
                expire_date=timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - touched_ago)
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE appeals_signature")
            cursor.execute("VACUUM ANALYZE appeals_campaign")
            cursor.execute("VACUUM ANALYZE django_session")


# --- the HTTP load ----------------------------------------------------------------------------


class Conn:
    """One keep-alive HTTP/1.1 connection speaking just enough of the protocol."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        """Send one request and read its answer. No retry: a POST that may have been
        processed must not be sent twice (that would be a second click)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            self.writer.write(raw)
            head = await self.reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = re.search(rb"\r\ncontent-length: *(\d+)", head, re.I)
            closing = re.search(rb"\r\nconnection: *close", head, re.I)
            if length:
                body = await self.reader.readexactly(int(length.group(1)))
            else:  # no length: the body runs to the end of the connection
                body = await self.reader.read()
                closing = True
        except BaseException:
            self.close()
            raise
        if closing:
            self.close()
        return status, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def sign_request(path: str, session: str, csrf: str) -> bytes:
    body = f"csrfmiddlewaretoken={csrf}".encode()
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: hw_session={session}; hw_csrf={csrf}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def load_run(port, campaign_pk, creds, seconds, connections, readers, reader_cred, sign_path=None):
    sign_path = sign_path or f"/appeals/{campaign_pk}/sign/"
    page_path = f"/appeals/{campaign_pk}/"
    queue = iter(creds)
    deadline = time.perf_counter() + seconds
    results: list[tuple[int, int, float]] = []  # (account id, status, seconds)
    page_samples: list[float] = []
    page_counts: list[list[int]] = []  # per reader, in the order that reader saw them
    errors: list[str] = []

    async def signer():
        conn = Conn(port)
        while time.perf_counter() < deadline:
            try:
                account_id, session, csrf = next(queue)
            except StopIteration:
                errors.append("ran out of accounts: use --accounts")
                return
            t0 = time.perf_counter()
            try:
                status, _ = await conn.request(sign_request(sign_path, session, csrf))
            except Exception as exc:  # noqa: BLE001  (counted and reported)
                errors.append(repr(exc))
                continue
            results.append((account_id, status, time.perf_counter() - t0))
        conn.close()

    async def reader():
        conn = Conn(port)
        seen: list[int] = []
        page_counts.append(seen)
        _, session, csrf = reader_cred
        raw = (
            f"GET {page_path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: hw_session={session}; hw_csrf={csrf}\r\n\r\n"
        ).encode()
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            status, body = await conn.request(raw)
            page_samples.append(time.perf_counter() - t0)
            match = re.search(rb'id="signature-count">\s*([\d\s\xe2\x80\xaf,]+)<', body)
            if status == 200 and match:
                seen.append(int(re.sub(rb"\D", b"", match.group(1))))
            elif status != 200:
                errors.append(f"page answered {status}")
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*[signer() for _ in range(connections)], *[reader() for _ in range(readers)])
    elapsed = time.perf_counter() - started
    return results, page_samples, page_counts, errors, elapsed


def wrk_bare(base: str, seconds: int, connections: int, path: str = "/bench/bare/") -> str:
    if not shutil.which("wrk"):
        return "wrk not installed"
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", base + path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", out, re.M))
    return f"{rps:,.0f} req/s, " + ", ".join(f"p{k} {v}" for k, v in lat.items())


BENCH = Path(__file__).resolve().parent


def wait_for(url: str) -> None:
    """Until a server just started answers (at most 30 s)."""
    for _ in range(150):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)


def gunicorn_alone(workers: int, threads: int) -> str:
    """wrk against gunicorn serving bench/bare_wsgi.py (no Django): the HTTP server's own ceiling."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.bare_wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        return wrk_bare(f"http://127.0.0.1:{port}", 10, 32, "/")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def in_process(campaign, creds, path: str) -> tuple[dict[str, float], dict[str, int]]:
    """POST path for every cred straight into homeward.wsgi.application in this process (no
    HTTP, no gunicorn): the CPU of this process and of PostgreSQL, and the statuses."""
    import io

    from homeward.wsgi import application

    statuses: dict[str, int] = {}

    def start_response(status, headers, exc_info=None):
        statuses[status] = statuses.get(status, 0) + 1

    def post(session: str, csrf: str) -> None:
        body = f"csrfmiddlewaretoken={csrf}".encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_COOKIE": f"hw_session={session}; hw_csrf={csrf}",
        }
        b"".join(application(environ, start_response))

    for _pk, session, csrf in creds[:100]:  # warm the code paths and the connection
        post(session, csrf)
    statuses.clear()
    meter = CpuMeter(os.getpid(), own_backend=True)
    before = meter.sample()
    for _pk, session, csrf in creds[100:]:
        post(session, csrf)
    used = CpuMeter.used(before, meter.sample())
    return {"django": used["client"], "db": used["db"]}, statuses


@dataclass
class WrkRun:
    """What bench/appeals_sign.lua reports: per thread, how many it sent and how many came back."""

    accepted_ids: list[int]  # accounts whose POST was answered with the signing view's 302
    accepted: int
    sent: int
    answered: int
    others: dict[str, int]  # any other answer, by status
    elapsed: float  # from the start to the last accepted answer
    latency: str
    wrk_errors: str


def write_creds(creds, folder: Path) -> Path:
    path = folder / f"creds-{len(creds)}-{creds[0][0]}.txt"
    path.write_text("".join(f"{pk} {session} {csrf}\n" for pk, session, csrf in creds))
    return path


def wrk_sign(base: str, path: str, creds, creds_file: Path, seconds: int, connections: int, threads: int = 2):
    """Start wrk posting co-signatures (every POST a different account); returns a function
    that waits for it and parses its report into a WrkRun."""
    proc = subprocess.Popen(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds + 30}s",
            "--timeout",
            "30s",
            "-s",
            str(BENCH / "appeals_sign.lua"),
            base + path,
            "--",
            str(creds_file),
            path,
            str(seconds),
            str(threads),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def finish() -> WrkRun:
        out, _ = proc.communicate()
        if os.environ.get("BENCH_DEBUG"):
            print(out)
        rows = re.findall(
            r"^THREAD (\d+) sent (\d+) answered (\d+) accepted (\d+) first ([\d.]+) last ([\d.]+) "
            r"epoch ([\d.]+) other (.*)$",
            out,
            re.M,
        )
        if not rows:
            raise RuntimeError(f"wrk said:\n{out}")
        accepted_ids, others = [], {}
        sent = answered = accepted = 0
        last = epoch = 0.0
        for tid, t_sent, t_answered, _t_accepted, _first, t_last, t_epoch, other in rows:
            tid, t_sent = int(tid), int(t_sent)
            # Thread t sent lines t, t+n, t+2n, ... in order: these are its accounts.
            accepted_ids.extend(pk for pk, _s, _c in creds[tid::threads][:t_sent])
            sent += t_sent
            answered += int(t_answered)
            accepted += int(_t_accepted)
            last, epoch = max(last, float(t_last)), float(t_epoch)
            for item in filter(None, other.split(",")):
                key, _, n = item.rpartition("=")
                others[key] = others.get(key, 0) + int(n)
        latency = re.search(r"^LATENCY (.*)$", out, re.M).group(1)
        errors = latency.split("; ", 2)[-1]
        # Only when every POST sent came back 302 is the accepted set exactly the sent set.
        ids = accepted_ids if accepted == sent else []
        return WrkRun(ids, accepted, sent, answered, others, max(last - epoch, 1e-9), latency.split("; ")[0], errors)

    return finish


def wrk_read(base: str, page_path: str, reader_cred, seconds: int, readers: int):
    proc = subprocess.Popen(
        [
            "wrk",
            f"-t{readers}",
            f"-c{readers}",
            f"-d{seconds + 30}s",
            "--timeout",
            "30s",
            "-s",
            str(BENCH / "appeals_read.lua"),
            base + page_path,
            "--",
            reader_cred[1],
            reader_cred[2],
            str(seconds),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def finish() -> tuple[int, str, list[tuple[int, int, int]], int]:
        out, _ = proc.communicate()
        latency = re.search(r"^READLATENCY (.*)$", out, re.M)
        rows = re.findall(r"^READER \d+ loads (\d+) bad (\d+) first (-?\d+) last (-?\d+) down (\d+)$", out, re.M)
        if latency is None:
            raise RuntimeError(f"wrk said:\n{out}")
        loads = sum(int(r[0]) for r in rows)
        bad = sum(int(r[1]) for r in rows)
        return loads, latency.group(1), [(int(r[2]), int(r[3]), int(r[4])) for r in rows], bad

    return finish


# --- the database's own ceiling ------------------------------------------------------------


#: How each mode commits the signing statement; "flush after unlock" is the service's default.
COMMIT_MODES = {
    "lock held through the flush (plain synchronous commit)": "{sql}",
    "flush after unlock (the default)": "BEGIN; SET LOCAL synchronous_commit TO OFF; {sql}; COMMIT; {flush}",
    "asynchronous (APPEALS_SIGN_ASYNC_COMMIT)": "SET LOCAL synchronous_commit TO OFF; {sql}",
}


def sql_ceiling(campaign, creds, seconds: int, threads: int, mode: str) -> tuple[int, float]:
    """The signing statement (INSERT + UPDATE ... +1 in one statement) from threads, no HTTP,
    committed as `mode` says (see COMMIT_MODES and services._one_statement)."""
    import psycopg
    from django.conf import settings

    from homeward.appeals import services

    _SIGN_PG, _FLUSH_PG = services._SIGN_PG, getattr(services, "_FLUSH_PG", "SELECT 1")  # (older code: no flush)

    s = settings.DATABASES["default"]
    dsn = f"host={s['HOST'] or '127.0.0.1'} port={s['PORT'] or 5432} user={s['USER']} dbname={s['NAME']}"
    if s.get("PASSWORD"):
        dsn += f" password={s['PASSWORD']}"
    sql = COMMIT_MODES[mode].format(sql=_SIGN_PG, flush=_FLUSH_PG)
    it = iter(creds)
    lock = threading.Lock()
    done = [0]
    deadline = time.perf_counter() + seconds

    def work():
        with psycopg.connect(dsn, autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
            cursor = conn.cursor()
            while time.perf_counter() < deadline:
                with lock:
                    account_id = next(it)[0]
                cursor.execute(sql, [campaign.pk, account_id, "", "2026-01-01"])
                while cursor.statusmessage and not cursor.statusmessage.startswith("UPDATE"):
                    cursor.nextset()
                if cursor.fetchone():
                    with lock:
                        done[0] += 1

    ts = [threading.Thread(target=work) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return done[0], time.perf_counter() - t0


# --- PDFs ----------------------------------------------------------------------------------------


def pdf_run(n: int) -> list[float]:
    import datetime as dt

    from homeward.appeals.letters import fill, member_values
    from homeward.appeals.pdf import Letter, render_pdf

    template = (
        "Я, {full_name}, проживающая по адресу {postal_address}, обращаюсь к вам как жена мобилизованного. "
        'Мой муж {loved_one_name} мобилизован {mobilized_on} в регионе "{region}" и служит уже {days_served} - '
        "без ротации и без срока.\n\nВ соответствии со ст. 33 Конституции и Федеральным законом № 59-ФЗ прошу "
        "установить срок службы мобилизованных и вернуть их домой.\n\n{today}"
    )
    samples = []
    for i in range(n):
        values = member_values(
            full_name=f"Ветрова Мария Петровна {i}",
            postal_address="123456, г. Москва, ул. Ленина, д. 1",
            today=dt.date(2025, 3, 3),
        )
        values.update(
            {
                "loved_one_name": "Ветров Алексей",
                "mobilized_on": "21 сентября 2022 г.",
                "region": "Москва",
                "days_served": "893 дня",
            }
        )
        letter = Letter(
            heading="Обращение",
            body=fill(template, values).text,
            to_lines=["Министру обороны Российской Федерации", "119160, Москва, ул. Знаменка, д. 19"],
            from_name=values["full_name"],
            from_address=values["postal_address"],
            date=dt.date(2025, 3, 3),
        )
        t0 = time.perf_counter()
        render_pdf(letter)
        samples.append(time.perf_counter() - t0)
    return samples


# --- main ------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=48)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="more than 1: gthread workers")
    parser.add_argument(
        "--full-chain", action="store_true", help="sign through the full middleware chain (no FastSignMiddleware)"
    )
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--pdfs", type=int, default=1000)
    parser.add_argument("--sql-threads", type=int, default=16)
    parser.add_argument("--reuse", action="store_true", help="keep the generated accounts")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-sql", action="store_true", help="skip the database-alone ceiling")
    parser.add_argument(
        "--in-process",
        type=int,
        default=2000,
        help="co-signatures (and as many do-nothing POSTs) straight into the WSGI application, no HTTP; 0 skips",
    )
    parser.add_argument(
        "--touched-ago",
        type=int,
        default=0,
        help="seconds since each signer's last request when the load starts (0: she has just loaded the "
        "campaign page; more than SESSION_TOUCH_SECONDS: every POST also writes her session's expiry)",
    )
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk",
        help="load generator: wrk with bench/appeals_*.lua (default; cheap) or the asyncio client",
    )
    parser.add_argument(
        "--async-commit",
        action="store_true",
        help="APPEALS_SIGN_ASYNC_COMMIT=True: signatures commit without waiting for the WAL flush",
    )
    args = parser.parse_args()
    # Settings and URLs of our own for this run, in a temporary folder: the signing setting
    # (read with getattr) and one extra view, a signed-in POST that does nothing — the ceiling
    # for any endpoint that needs a session and a CSRF token on this stack and machine.
    tmp = Path(tempfile.mkdtemp(prefix="hw-appeals-bench-"))
    (tmp / "appeals_bench_urls.py").write_text(
        "from django.http import HttpResponse, HttpResponseRedirect\n"
        "from django.urls import path\n"
        "from bench.bench_urls import urlpatterns as bench_urlpatterns\n\n\n"
        "def signed_in_post(request):\n"
        "    if request.method != 'POST' or not request.user.is_authenticated:\n"
        "        return HttpResponse(status=403)\n"
        "    return HttpResponseRedirect('/')\n\n\n"
        "urlpatterns = [path('bench/signed-in-post/', signed_in_post), *bench_urlpatterns]\n"
    )
    (tmp / "appeals_bench_settings.py").write_text(
        "from bench.bench_settings import *  # noqa: F403\n"
        "ROOT_URLCONF = 'appeals_bench_urls'\n"
        f"APPEALS_SIGN_ASYNC_COMMIT = {bool(args.async_commit)}\n"
    )
    sys.path.insert(0, str(tmp))
    os.environ["PYTHONPATH"] = os.pathsep.join([str(tmp), str(ROOT), os.environ.get("PYTHONPATH", "")])
    os.environ["DJANGO_SETTINGS_MODULE"] = "appeals_bench_settings"
    chain = "the full middleware chain" if args.full_chain else "the short chain (FastSignMiddleware)"
    print(
        f"signing commits {'asynchronously (APPEALS_SIGN_ASYNC_COMMIT)' if args.async_commit else 'synchronously'}, through {chain}"
    )

    if args.full_chain:
        os.environ["BENCH_FULL_CHAIN"] = "1"  # this process too: the in-process phase
    print(f"start: {load()}")
    ensure_database(os.environ["DATABASE_URL"])
    campaign, creds = generate(args.accounts, args.reuse)
    reader_cred, warm_creds, creds = creds[0], creds[1:200], creds[200:]

    if not args.skip_http:
        use_wrk = args.client == "wrk"
        if use_wrk and not shutil.which("wrk"):
            raise SystemExit("wrk is not installed: use --client python")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
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
                "--backlog",
                "2048",
                "--access-logfile",
                "/dev/null",
                *(["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []),
            ],
            cwd=ROOT,
            env={**os.environ, **({"BENCH_FULL_CHAIN": "1"} if args.full_chain else {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        sign_path = f"/appeals/{campaign.pk}/sign/"
        try:
            wait_for(f"{base}/bench/bare/")
            print(
                f"gunicorn: {args.workers} {'sync workers' if args.threads < 2 else f'gthread workers × {args.threads} threads'}; ceiling (bare view, wrk 10 s): {wrk_bare(base, 10, 32)}"
            )
            # Warm every worker's code paths and connections, then start from zero.
            asyncio.run(load_run(port, campaign.pk, warm_creds, 3, 8, 1, reader_cred))
            reset(campaign, args.touched_ago)
            ceiling_creds, creds = creds[-15000:], creds[:-15000]
            client = f"wrk, {args.connections} connections" if use_wrk else "asyncio client"
            meter = CpuMeter(server.pid)
            cpu_before = meter.sample()
            if use_wrk:
                run = wrk_sign(
                    base, "/bench/signed-in-post/", ceiling_creds, write_creds(ceiling_creds, tmp), 10, args.connections
                )()
                ceiling_rate, ceiling_latency = run.accepted / run.elapsed, run.latency
                ceiling_n, ceiling_wall = run.accepted, run.elapsed
            else:
                ceiling, *_rest, took = asyncio.run(
                    load_run(
                        port, campaign.pk, ceiling_creds, 10, args.connections, 0, reader_cred, "/bench/signed-in-post/"
                    )
                )
                ceiling_rate = sum(1 for r in ceiling if r[1] == 302) / took
                ceiling_latency = latency_line([r[2] for r in ceiling])
                ceiling_n, ceiling_wall = sum(1 for r in ceiling if r[1] == 302), took
            ceiling_cpu = CpuMeter.used(cpu_before, meter.sample())
            print(
                f"ceiling for a signed-in POST that does nothing (session, CSRF, auth; {client}, 10 s): "
                f"{ceiling_rate:,.0f} per second, {ceiling_latency}"
            )
            print(f"  {cpu_line(ceiling_cpu, ceiling_n, ceiling_wall)}")

            reset(campaign, args.touched_ago)
            print(
                f"signing for {args.seconds} s: {client}, {args.readers} signed-in page readers, each signer's "
                f"last request {args.touched_ago} s before the start; {load()}"
            )
            cpu_before = meter.sample()
            if use_wrk:
                creds_file = write_creds(creds, tmp)
                signing = wrk_sign(base, sign_path, creds, creds_file, args.seconds, args.connections)
                reading = (
                    wrk_read(base, f"/appeals/{campaign.pk}/", reader_cred, args.seconds, args.readers)
                    if args.readers
                    else None
                )
                run = signing()
                read = reading() if reading else (0, "", [], 0)
                elapsed = run.elapsed
                accepted = run.accepted_ids
                accepted_n = run.accepted
                statuses = {302: run.accepted, **run.others}
                errors = [] if run.sent == run.answered else [f"{run.sent - run.answered} sent but not answered"]
                sign_latency = run.latency + f" (wrk: {run.wrk_errors})"
                page_loads, page_latency, page_views, page_bad = read
                page_line = (
                    f"{page_loads:,} loads, {page_loads / elapsed:,.1f} per second, {page_latency}; counter seen rising "
                    + "; ".join(f"[{a}] → [{b}]" for a, b, _d in page_views)
                    + f", never down for any reader: {all(d == 0 for _a, _b, d in page_views)}"
                    + (f", {page_bad} non-200 answers" if page_bad else "")
                )
            else:
                results, page_samples, page_counts, errors, elapsed = asyncio.run(
                    load_run(port, campaign.pk, creds, args.seconds, args.connections, args.readers, reader_cred)
                )
                accepted = [a for a, status, _ in results if status == 302]
                accepted_n = len(accepted)
                statuses = {}
                for _a, status, _s in results:
                    statuses[status] = statuses.get(status, 0) + 1
                sign_latency = latency_line([s for _a, status, s in results if status == 302])
                page_line = (
                    f"{len(page_samples):,} loads, {len(page_samples) / elapsed:,.1f} per second, "
                    f"{latency_line(page_samples)}; counter seen rising "
                    + "; ".join(f"{seen[:1]} → {seen[-1:]}" for seen in page_counts)
                    + f", never down for any reader: "
                    f"{all(a <= b for seen in page_counts for a, b in zip(seen, seen[1:], strict=False))}"
                )
            cpu_used = CpuMeter.used(cpu_before, meter.sample())
            print(f"after: {load()}")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)

        from django.db import connection

        from homeward.appeals.models import Campaign, Signature

        connection.close()
        count = Campaign.objects.values_list("signature_count", flat=True).get(pk=campaign.pk)
        rows = set(Signature.objects.filter(campaign=campaign).values_list("account_id", flat=True))
        lost = set(accepted) - rows
        unacknowledged = rows - set(accepted)
        print(
            f"co-signatures: {accepted_n:,} accepted in {elapsed:.1f} s = {accepted_n / elapsed:,.0f} per second "
            f"(target 1,000); statuses {statuses}; client errors {len(errors)}"
            + (f" e.g. {errors[0]}" if errors else "")
        )
        print(f"signing latency: {sign_latency}")
        print(f"signing {cpu_line(cpu_used, accepted_n, elapsed)} (page readers included)")
        print(f"campaign page while signing: {page_line}")
        ok = count == len(rows) == accepted_n == len(accepted) and not lost and not unacknowledged
        print(
            f"count check: counter {count:,}, signature rows {len(rows):,}, 302 answers {accepted_n:,}, "
            f"signatures lost {len(lost)}, signed without an answer {len(unacknowledged)} → {'OK' if ok else 'MISMATCH'}"
        )

    from django.db import connection

    if connection.vendor == "postgresql" and not args.skip_sql:
        for mode in COMMIT_MODES:
            reset(campaign)
            done, took = sql_ceiling(campaign, creds, 10, args.sql_threads, mode)
            print(
                f"database alone (the signing statement from {args.sql_threads} threads, 10 s), {mode}: "
                f"{done / took:,.0f} signatures per second; {load()}"
            )
        reset(campaign)

    if args.in_process:
        # Where the time goes, without HTTP: the same POSTs straight into the WSGI application.
        for label, path in (
            ("co-signature", f"/appeals/{campaign.pk}/sign/"),
            ("signed-in POST that does nothing", "/bench/signed-in-post/"),
        ):
            reset(campaign, 0)
            batch = creds[: args.in_process + 100]
            creds = creds[args.in_process + 100 :]
            used, statuses = in_process(campaign, batch, path)
            n = sum(statuses.values())
            django_ms, db_ms = used["django"] / n * 1000, used["db"] / n * 1000
            print(
                f"in one process, no HTTP, {n:,} × {label}: {django_ms:.2f} ms of CPU in Django, "
                f"{db_ms:.2f} ms in PostgreSQL → at most {os.cpu_count() * 1000 / (django_ms + db_ms):,.0f} per "
                f"second on {os.cpu_count()} idle CPUs even if HTTP cost nothing; statuses {statuses}"
            )
        print(f"gunicorn alone (bench/bare_wsgi.py, no Django, wrk 10 s): {gunicorn_alone(args.workers, args.threads)}")
        reset(campaign)

    if args.pdfs:
        import resource

        print(f"personal-copy PDFs: start; {load()}")
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        samples = pdf_run(args.pdfs)
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
        total = sum(samples)
        print(
            f"personal-copy PDFs: {len(samples):,} in {total:.1f} s, {statistics.mean(samples) * 1000:.0f} ms each on "
            f"average ({latency_line(samples)}), {cpu / len(samples) * 1000:.0f} ms of CPU each; {load()}"
        )


if __name__ == "__main__":
    main()
