"""Read what a seizure would get: the database as raw bytes, plus the media folder."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_bytes() -> bytes:
    """SQLite: the database file and its WAL/SHM side files. PostgreSQL: a pg_dump."""
    if connection.vendor == "sqlite":
        connection.close()  # flush; WAL content is read below either way
        name = Path(connection.settings_dict["NAME"])
        chunks = []
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = Path(f"{name}{suffix}")
            if path.exists():
                chunks.append(path.read_bytes())
        assert chunks, f"no SQLite file at {name}: the test database must be a file"
        return b"".join(chunks)
    if connection.vendor == "postgresql":
        pg_dump = shutil.which("pg_dump")
        assert pg_dump, "pg_dump is needed for the seizure canary on PostgreSQL"
        s = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": s.get("PASSWORD") or ""}
        cmd = [pg_dump, "--no-owner", "-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432)]
        cmd += ["-U", s.get("USER") or "postgres", s["NAME"]]
        return subprocess.run(cmd, check=True, capture_output=True, env=env).stdout  # noqa: S603
    raise AssertionError(f"unsupported database {connection.vendor}")


def media_bytes() -> bytes:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return b""
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())
