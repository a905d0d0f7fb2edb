from django.db import models


class ScheduledRun(models.Model):
    """One row per daily job per day, so the scheduler enqueues each job at most once a day."""

    job = models.CharField(max_length=100)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="scheduled_run_once_a_day")]
