"""Street actions (акции): planned within the law, the place revealed late, people counted, not listed.

What is public: the title, kind, chapter, city and times. The exact place and the lawyers'
contacts are encrypted at rest and shown only to the right people at the right time.
Who is coming, who checked in and who was detained are rows that the daily purge deletes
`ACTION_PURGE_DAYS` after the action; the counters on the action are what remains.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.lib.fields import EncryptedTextField


def reveal_hours_default() -> int:
    return getattr(settings, "ACTION_REVEAL_HOURS", 3)


def purge_days() -> int:
    return getattr(settings, "ACTION_PURGE_DAYS", 14)


def checkout_prompt_hours() -> int:
    return getattr(settings, "ACTION_CHECKOUT_PROMPT_HOURS", 2)


class Kind(models.TextChoices):
    SOLO_PICKET = "solo_picket", _("solo picket")
    GROUP_PICKET = "group_picket", _("group picket")
    RALLY = "rally", _("rally")
    MARCH = "march", _("march")
    FLOWER_LAYING = "flower_laying", _("flower-laying")
    MEETING = "meeting", _("meeting")
    ONLINE = "online", _("online action")


class Status(models.TextChoices):
    PLANNED = "planned", _("planned")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")
    DONE = "done", _("done")


class NoticeState(models.TextChoices):
    """Where the notice to the authorities (уведомление) stands."""

    NOT_NEEDED = "not_needed", _("not needed")
    TO_FILE = "to_file", _("to be filed")
    FILED = "filed", _("filed")
    AGREED = "agreed", _("agreed")
    REFUSED = "refused", _("refused")
    COUNTER_PROPOSAL = "counter_proposal", _("counter-proposal received")


class Action(models.Model):
    """An action (акция) of one chapter: a picket, a rally, a flower-laying, a meeting or an online action."""

    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=100)
    # Member-visible: shown to members who said they are coming, from `reveal_at`.
    place = EncryptedTextField(_("exact place"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    reveal_hours = models.PositiveSmallIntegerField(
        _("reveal the place this many hours before the start"), default=reveal_hours_default
    )
    is_public = models.BooleanField(_("announce publicly"), default=True)
    what_to_bring = models.TextField(_("what to bring"), blank=True, max_length=2000)
    safety_briefing = models.TextField(_("safety briefing"), blank=True, max_length=4000)
    lawyers_contacts = EncryptedTextField(_("lawyers' contacts"), blank=True, default="")
    lawyers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="lawyer_for_actions", verbose_name=_("lawyer accounts")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)

    notice_state = models.CharField(
        _("notice"), max_length=16, choices=NoticeState.choices, default=NoticeState.NOT_NEEDED
    )
    notice_filed_on = models.DateField(_("filed on"), null=True, blank=True)
    # The authorities' answers may name another place: encrypted like the place itself.
    notice_refusal_reason = EncryptedTextField(_("reason for refusal"), blank=True, default="")
    notice_counter_proposal = EncryptedTextField(_("counter-proposal"), blank=True, default="")

    # Anonymous counts: updated atomically with F(), kept after the purge.
    rsvp_count = models.PositiveIntegerField(default=0)
    checked_in_count = models.PositiveIntegerField(default=0)
    checked_out_count = models.PositiveIntegerField(default=0)
    detained_count = models.PositiveIntegerField(default=0)
    # How many times coordinators asked the not-checked-out members whether they are safe.
    safety_asks = models.PositiveSmallIntegerField(default=0)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_on = models.DateField(default=timezone.localdate)
    # The day the personal rows were purged (None until then).
    purged_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [
            models.Index(fields=["chapter", "starts_at"]),
            models.Index(fields=["is_public", "starts_at"]),
            models.Index(fields=["purged_on", "ends_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="action_ends_after_start"),
            models.CheckConstraint(
                condition=Q(checked_out_count__lte=F("checked_in_count")), name="action_checkouts_within_checkins"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("actions:detail", args=[self.pk])

    @property
    def reveal_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(hours=self.reveal_hours)

    @property
    def purge_at(self) -> dt.datetime:
        """When the RSVPs, check-ins and detention records of this action are deleted."""
        return self.ends_at + dt.timedelta(days=purge_days())

    @property
    def checkout_prompt_at(self) -> dt.datetime:
        return self.ends_at + dt.timedelta(hours=checkout_prompt_hours())

    @property
    def is_cancelled(self) -> bool:
        return self.status == Status.CANCELLED

    @property
    def not_checked_out(self) -> int:
        return self.checked_in_count - self.checked_out_count

    def has_ended(self, now: dt.datetime) -> bool:
        return now >= self.ends_at

    def day_span(self) -> tuple[dt.datetime, dt.datetime]:
        """The day of the action, when members check in: from the local midnight of its first
        day (or three hours before the start, if earlier) to the end of its last day (or six
        hours after the end, if later)."""
        tz = timezone.get_current_timezone()
        first = timezone.localtime(self.starts_at, tz).date()
        last = timezone.localtime(self.ends_at, tz).date()
        midnight = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
        next_midnight = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return (
            min(midnight, self.starts_at - dt.timedelta(hours=3)),
            max(next_midnight, self.ends_at + dt.timedelta(hours=6)),
        )


class RSVP(models.Model):
    """A member's «я приду» (I'll come). No date is kept: it is deleted by the purge."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="rsvps")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "account"], name="rsvp_once")]


class CheckIn(models.Model):
    """«Я на месте» (I am here) and, later, «я ушла, всё в порядке» (I have left, I am fine).

    No times are kept: whether she is still there is all the platform needs.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="checkins")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    checked_out = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "account"], name="checkin_once")]
        indexes = [models.Index(fields=["action", "checked_out"])]


class Detention(models.Model):
    """«Меня задержали» (I have been detained): one per member and action, so the alarm goes once."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="detentions")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "account"], name="detention_once")]


class IncidentKind(models.TextChoices):
    DETENTIONS = "detentions", _("detentions")
    DISPERSAL = "dispersal", _("dispersal")
    FINE = "fine", _("fines")
    VIOLENCE = "violence", _("violence")
    OTHER = "other", _("other")


class Incident(models.Model):
    """An incident (происшествие) logged by coordinators, without names: what, how many, a note."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="incidents")
    kind = models.CharField(_("what happened"), max_length=12, choices=IncidentKind.choices)
    count = models.PositiveIntegerField(_("how many people"), default=1)
    # Encrypted: what happened to whom, however carefully written, is not for a seized disk.
    note = EncryptedTextField(_("note"), blank=True, default="")
    on = models.DateField(_("date"))

    class Meta:
        ordering = ["on", "id"]
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="incident_count_positive")]
