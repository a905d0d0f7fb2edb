"""Loved ones (близкие) and the facts of their service. Visible to the member who recorded
them and to nobody else; coordinators and admins see only aggregates (PRIVACY.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from homeward.lib.dbfuncs import MonthStart
from homeward.lib.fields import EncryptedTextField


class Relation(models.TextChoices):
    HUSBAND = "husband", _("husband")
    SON = "son", _("son")
    BROTHER = "brother", _("brother")
    PARTNER = "partner", _("partner")
    FATHER = "father", _("father")
    OTHER = "other", _("other")


class Status(models.TextChoices):
    SERVING = "serving", _("serving")
    ON_LEAVE = "on_leave", _("on leave")
    IN_HOSPITAL = "in_hospital", _("in hospital")
    MISSING = "missing", _("missing")
    CAPTIVE = "captive", _("captive")
    HOME = "home", _("home")
    KILLED = "killed", _("killed")


#: Statuses after which service has ended: the clock stops on the status date.
ENDED = {Status.HOME, Status.KILLED}


class LovedOne(models.Model):
    """A loved one (близкий), the mobilized man a member campaigns for."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="loved_ones")
    relation = models.CharField(_("relation"), max_length=16, choices=Relation.choices)
    name = EncryptedTextField(_("name (optional)"), blank=True, default="")
    unit = EncryptedTextField(_("unit (optional)"), blank=True, default="")
    mobilized_on = models.DateField(_("date of mobilization"))
    # The month of mobilization, kept by the database itself (a stored generated column, so
    # no write path can forget it): the statistics group by it without truncating a date
    # per row, which was most of the time of their one scan.
    mobilized_month = models.GeneratedField(
        expression=MonthStart("mobilized_on"), output_field=models.DateField(), db_persist=True
    )
    early_call_up = models.BooleanField(_("called up before 21 September 2022"), default=False)
    region = models.ForeignKey(
        "chapters.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("call-up region")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SERVING)
    status_since = models.DateField(_("status since"))
    # Set when the status becomes home or killed: the day the service clock stops.
    service_ended_on = models.DateField(null=True, blank=True)
    last_leave_on = models.DateField(_("last leave"), null=True, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)

    class Meta:
        ordering = ["mobilized_on", "id"]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["mobilized_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status_since__gte=models.F("mobilized_on")), name="status_after_mobilization"
            ),
        ]

    def display_name(self) -> str:
        """Her name for him if she gave one, else the relation ("Husband"), else "Loved one"."""
        if self.name:
            return self.name
        if self.relation == Relation.OTHER:
            return str(_("Loved one"))
        return capfirst(str(self.get_relation_display()))


class StatusChange(models.Model):
    """One dated entry of a loved one's status history."""

    loved_one = models.ForeignKey(LovedOne, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(max_length=16, choices=Status.choices)
    on = models.DateField()

    class Meta:
        ordering = ["on", "id"]


class Precedent(models.Model):
    """A past service term to compare with (сравнение), editable by admins."""

    name_ru = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    days = models.PositiveIntegerField()
    source = models.CharField(max_length=500, help_text="Where the figure comes from (a citation or a link).")
    note_ru = models.CharField(max_length=200, blank=True)
    note_en = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "days"]
        verbose_name = _("precedent")
        verbose_name_plural = _("precedents")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ru").startswith("en") else self.name_ru

    @property
    def note(self) -> str:
        return self.note_en if (get_language() or "ru").startswith("en") else self.note_ru


def today():
    return timezone.localdate()
