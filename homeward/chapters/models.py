"""Chapters (региональные отделения), one per federal subject, and who belongs to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A federal subject (субъект РФ), loaded from chapters/data/federal_subjects.json."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=8, unique=True)
    name_ru = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    kind = models.CharField(max_length=24)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("federal subject")
        verbose_name_plural = _("federal subjects")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "ru").startswith("en") else self.name_ru


class Chapter(models.Model):
    """The movement in one federal subject: open (join with one click) or invite-only."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="chapter")
    slug = models.SlugField(unique=True, max_length=16)
    is_open = models.BooleanField(_("open to join"), default=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    created_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["region__name_ru"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self):
        return str(self.region)

    @property
    def name(self) -> str:
        return self.region.name


class Membership(models.Model):
    """An account's place in a chapter: member or coordinator."""

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        COORDINATOR = "coordinator", _("coordinator")

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "chapter"], name="membership_unique")]
        indexes = [models.Index(fields=["chapter", "role"])]


class Invite(models.Model):
    """An invite link to an invite-only chapter. Only a hash of the token is stored."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="invites")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="empty = unlimited")
    uses = models.PositiveIntegerField(default=0)
    revoked = models.BooleanField(default=False)
    label = models.CharField(_("note for coordinators"), max_length=80, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_uses__isnull=True) | models.Q(uses__lte=models.F("max_uses")),
                name="invite_uses_within_limit",
            )
        ]

    def is_usable(self, now) -> bool:
        return not self.revoked and self.expires_at > now and (self.max_uses is None or self.uses < self.max_uses)
