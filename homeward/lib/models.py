from django.db import models


class ScheduledRun(models.Model):
    """One row per daily job per day, so the scheduler enqueues each job at most once a day."""

    job = models.CharField(max_length=100)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="scheduled_run_once_a_day")]


class Version(models.Model):
    """A counter bumped whenever the data behind a cache changes (see lib/versions.py)."""

    name = models.CharField(max_length=64, unique=True)
    value = models.BigIntegerField(default=0)
