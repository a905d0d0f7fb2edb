"""Settings for benchmarks: the real settings plus a bare view to measure the ceiling."""

from homeward.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
LOGGING["loggers"]["django"]["level"] = "WARNING"  # noqa: F405
