"""The question bank (вопросы к власти): campaigns, questions, votes and clusters.

A campaign gathers members' questions for one public Q&A event. Questions that ask the
same thing in other words share a cluster; a cluster's weight is the number of distinct
accounts that asked or voted for any approved question in it. Who asked is never shown
to other members or the public; coordinators see a handle only where its author allowed.
A video question is sealed in the database (AES-GCM), never in the media folder.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.chapters.campaigns import Scope  # noqa: F401  (campaign.scope's choices; imported from here too)
from homeward.lib.fields import EncryptedTextField


class Campaign(models.Model):
    """A question campaign (сбор вопросов) for one event, e.g. the annual televised Q&A."""

    title = models.CharField(_("title"), max_length=200)
    event = models.CharField(_("event"), max_length=200)
    event_on = models.DateField(_("event date"))
    about = models.TextField(_("text for members"), max_length=5000, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    scope = models.CharField(_("who takes part"), max_length=16, choices=Scope.choices, default=Scope.MOVEMENT)
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    premoderated = models.BooleanField(
        _("questions wait for a coordinator's approval"),
        default=True,
        help_text=_("When off, a question is shown to others as soon as it is asked."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_on = models.DateField(default=timezone.localdate)
    # Bumped whenever clusters change other than by a new question (merge, split, re-cluster):
    # every process then rebuilds its similarity index for the campaign.
    index_version = models.PositiveIntegerField(default=0)
    question_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-event_on", "-id"]
        verbose_name = _("question campaign")
        verbose_name_plural = _("question campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="qcampaign_closes_after_open"),
            models.CheckConstraint(
                condition=~Q(scope="chapter") | Q(chapter__isnull=False), name="qcampaign_chapter_scope_has_chapter"
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on

    def not_yet_open(self, today) -> bool:
        return today < self.opens_on


class Outcome(models.TextChoices):
    """What became of a question at the event (the ledger)."""

    NONE = "", _("not yet known")
    ASKED = "asked", _("asked")
    ANSWERED = "answered", _("answered")
    PARTIAL = "partial", _("answered partially")
    IGNORED = "ignored", _("ignored")


class Cluster(models.Model):
    """Questions that ask the same thing. Its wording is the coordinators' (or the first
    approved question's text); its weight is kept exact in the transaction of every change."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="clusters")
    wording = models.TextField(_("representative wording"), max_length=2000, blank=True)
    # Distinct accounts that asked or voted for an approved question of the cluster, and how
    # many of those are newer than QUESTIONS_NEW_ACCOUNT_DAYS or have no chapter.
    weight = models.PositiveIntegerField(default=0)
    # Of them, those with an act as an established account (old enough, in a chapter): what
    # the ranking sorts by, so new accounts cannot stuff it.
    weight_established = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)  # approved questions in it: shown when > 0
    # Its first approved question: the default wording, and what a vote from the ranking goes to.
    lead = models.ForeignKey("Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True, default="")
    outcome_note = models.TextField(_("note"), max_length=2000, blank=True)
    outcome_link = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["campaign", "-weight_established", "-weight", "id"], name="qcluster_ranking")]

    def __str__(self):
        return self.wording[:60] or f"#{self.pk}"

    @property
    def weight_newcomers(self) -> int:
        """New accounts or accounts without a chapter among the weight (counted apart, shown)."""
        return self.weight - self.weight_established


class Status(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("not accepted")


class Question(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The author's chapter when she asked (for the coordinators' filter); never shown with her.
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(_("question"), max_length=2000)
    terms = models.TextField(default="")  # normalized features, space-separated (questions.text.terms)
    form_key = models.CharField(max_length=32, default="", db_index=True)
    cluster = models.ForeignKey(Cluster, on_delete=models.SET_NULL, null=True, related_name="questions")
    exemplar = models.BooleanField(default=False)  # kept by the similarity index for its cluster
    pinned = models.BooleanField(default=False)  # placed by a coordinator: re-clustering leaves it be
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.CharField(_("reason"), max_length=300, blank=True)
    show_handle = models.BooleanField(_("coordinators may see my handle with this question"), default=False)
    newcomer = models.BooleanField(default=False)  # a new account or one without a chapter, when asked
    asked_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["campaign", "status", "id"], name="question_queue"),
            models.Index(fields=["cluster", "status"], name="question_cluster"),
            models.Index(fields=["campaign", "exemplar", "id"], name="question_exemplars"),
            models.Index(fields=["author", "asked_on"], name="question_author_day"),
            models.Index(fields=["author", "campaign"], name="question_author_campaign"),
        ]

    def __str__(self):
        return self.text[:60]


class Vote(models.Model):
    """One per account and question. No time is kept."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    newcomer = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "account"], name="vote_once_per_account")]
        indexes = [models.Index(fields=["account", "question"], name="vote_account")]


class VoteActivity(models.Model):
    """How many votes and withdrawals an account made in one hour: the hourly limit counts
    every act, so voting and withdrawing in a loop is limited too. Deleted after two hours."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    acts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "hour"], name="vote_activity_once_per_hour")]


class Video(models.Model):
    """A short video question, sealed in the database. Only its author and the campaign's
    coordinators may watch it, and a coordinator's viewing is audited."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="video")
    content = EncryptedTextField()  # base64 of the file
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
