"""In-app notices (уведомления): what the platform tells one account.

A notice stores a kind and parameters, not a rendered sentence, so it reads in the
language the account has when she opens it. `key` makes each notice unique per
account, which is what makes the daily jobs that create them idempotent.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notice(models.Model):
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    params = models.JSONField(default=dict, blank=True)
    # A date is enough: when a notice came matters to the day, not the second.
    created_on = models.DateField(default=timezone.localdate)
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["account", "key"], name="notice_once_per_key")]
        indexes = [models.Index(fields=["account", "read"])]
