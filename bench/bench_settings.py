"""Settings for benchmarks: the real settings plus a bare view to measure the ceiling."""

import os

from homeward.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
LOGGING["loggers"]["django"]["level"] = "WARNING"  # noqa: F405

if os.environ.get("BENCH_FULL_CHAIN"):  # appeals_bench.py --full-chain: co-signing without the short chain
    MIDDLEWARE = [m for m in MIDDLEWARE if m != "homeward.appeals.fastsign.FastSignMiddleware"]  # noqa: F405
