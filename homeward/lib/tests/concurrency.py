"""Run work on real connections at the same moment (transactional tests only)."""

from __future__ import annotations

import threading

from django.db import connection


def run_together(n, work):
    """Start n threads at a barrier, each running work(i) on its own connection; any error fails."""
    barrier = threading.Barrier(n)
    errors = []

    def run(i):
        try:
            barrier.wait(timeout=10)
            work(i)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
