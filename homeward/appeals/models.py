"""Collective appeals (кампании обращений): campaigns, co-signatures, personal copies, and the
filings members track through the deadlines of 59-FZ.

What is public: campaigns, their addressees and counts. What is one member's alone: her
signature's optional legal name (encrypted, printed only in the collective letter), her
filings with their registration numbers (encrypted: with the addressee they lead to her
legal identity) and the replies she uploads (encrypted). Dates, not timestamps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.chapters.campaigns import Scope  # noqa: F401  (campaign.scope's choices; imported from here too)
from homeward.lib.fields import EncryptedTextField


class Addressee(models.Model):
    """An addressee (адресат): the official and the body an appeal goes to, and how to file there."""

    official = models.CharField(_("official"), max_length=200, blank=True)
    body = models.CharField(_("body"), max_length=300)
    postal_address = models.CharField(_("the body's postal address"), max_length=300, blank=True)
    reception_url = models.URLField(_("online reception page"), max_length=500, blank=True)

    class Meta:
        ordering = ["body", "official"]
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")

    def __str__(self):
        return f"{self.official}, {self.body}" if self.official else self.body


class Channel(models.TextChoices):
    """How a filing reaches the body. Since 30 March 2025 (547-FZ) an electronic appeal counts
    only through the body's official site or system, or Gosuslugi; plain e-mail does not."""

    SITE = "site", _("the body's official website or information system")
    GOSUSLUGI = "gosuslugi", _("Gosuslugi")
    POST = "post", _("by post")
    IN_PERSON = "in_person", _("in person, at the reception office")
    FORWARDED = "forwarded", _("forwarded by another body")


#: The channels a member chooses from (a forwarded filing is created by recording a forwarding).
FILING_CHANNELS = [Channel.SITE, Channel.GOSUSLUGI, Channel.POST, Channel.IN_PERSON]


class Campaign(models.Model):
    """An appeal campaign (кампания обращений): a letter to one addressee, co-signed or filed by many."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("text for members"), max_length=5000)
    addressee = models.ForeignKey(Addressee, on_delete=models.PROTECT, related_name="campaigns")
    channels = models.JSONField(_("how to file"), default=list)
    template = models.TextField(_("letter template"), max_length=20000)
    goal = models.PositiveIntegerField(_("signature goal"), null=True, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    closed = models.BooleanField(_("closed early"), default=False)
    scope = models.CharField(_("who takes part"), max_length=16, choices=Scope.choices, default=Scope.MOVEMENT)
    # The chapter whose coordinators run it (and, for a chapter campaign, whose members take part).
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_on = models.DateField(default=timezone.localdate)
    # Exact and atomic: changed with F() in the transaction that adds or removes a signature.
    signature_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("appeal campaign")
        verbose_name_plural = _("appeal campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(signature_count__gte=0), name="campaign_count_not_negative"),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opens_on")), name="campaign_closes_after_open"
            ),
            models.CheckConstraint(
                condition=~Q(scope="chapter") | Q(chapter__isnull=False), name="campaign_chapter_scope_has_chapter"
            ),
        ]

    def __str__(self):
        return self.title

    def is_open(self, today) -> bool:
        return not self.closed and self.opens_on <= today and (self.closes_on is None or today <= self.closes_on)

    def is_closed(self, today) -> bool:
        return self.closed or (self.closes_on is not None and today > self.closes_on)

    def not_yet_open(self, today) -> bool:
        return not self.closed and today < self.opens_on


class Signature(models.Model):
    """A co-signature (подпись) of the collective letter. One per account and campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="signatures")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Optional: 59-FZ art. 11 — an appeal without the sender's name need not be answered.
    full_name = EncryptedTextField(_("full name for this letter"), blank=True, default="")
    signed_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "account"], name="signature_once_per_account")]


class Copy(models.Model):
    """A personal copy (личный экземпляр) made as PDF: counted once per member for the funnel."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="copies")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    made_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "account"], name="copy_once_per_account")]


class Outcome(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    MERITS = "merits", _("answer on the merits")
    FORMAL = "formal", _("formal reply")
    FORWARDED = "forwarded", _("forwarded to another body")
    REFUSAL = "refusal", _("refusal")
    NO_ANSWER = "no_answer", _("no answer by the due date")


#: Outcomes that are an answer from the body.
ANSWERS = [Outcome.MERITS, Outcome.FORMAL, Outcome.REFUSAL]
#: Outcomes a member records herself (no answer is detected by the daily job).
RECORDED_OUTCOMES = [Outcome.MERITS, Outcome.FORMAL, Outcome.FORWARDED, Outcome.REFUSAL]


class Filing(models.Model):
    """A filing (отправленное обращение): a personal copy a member filed herself, tracked
    through the deadlines of 59-FZ. Seen by her and nobody else."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="filings")
    # A known addressee (the campaign's, or one it was forwarded to); else the body's name as typed.
    addressee = models.ForeignKey(Addressee, on_delete=models.PROTECT, null=True, blank=True, related_name="filings")
    addressee_name = models.CharField(_("body"), max_length=300, blank=True)
    forwarded_from = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="forwarded_to"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    sent_on = models.DateField(_("sent on"))
    received_on = models.DateField(_("received by the body on"), null=True, blank=True)
    # With the addressee, a registration number leads to her legal identity: encrypted.
    registration_number = EncryptedTextField(_("registration number"), blank=True, default="")
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    extension_notified_on = models.DateField(_("notice of extension received on"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extended by (days)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    answered_on = models.DateField(_("date of the answer"), null=True, blank=True)
    # The answer's due date from deadlines.py, kept for set-based queries (daily job, overdue counts).
    answer_due = models.DateField()
    created_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["owner", "campaign"]),
            models.Index(fields=["outcome", "answer_due"]),
            models.Index(fields=["campaign", "outcome"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True) | Q(registered_on__gte=F("sent_on")),
                name="filing_registered_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=F("sent_on")),
                name="filing_received_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("sent_on")),
                name="filing_answered_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__isnull=True) | Q(extension_days__gte=1, extension_days__lte=30),
                name="filing_extension_at_most_30_days",
            ),
            models.CheckConstraint(
                condition=Q(addressee__isnull=False) | ~Q(addressee_name=""), name="filing_has_an_addressee"
            ),
        ]

    @property
    def body_name(self) -> str:
        return str(self.addressee) if self.addressee_id else self.addressee_name

    @property
    def answered(self) -> bool:
        return self.outcome in ANSWERS


class Reply(models.Model):
    """The body's reply as she uploaded it (PDF or image), encrypted at rest.

    Kept in the database rather than in media: deleting the filing or the account deletes
    it in the same transaction, and key rotation re-seals it with every other field. The
    content is base64 inside an EncryptedTextField (AES-GCM, see homeward.lib.crypto).
    """

    filing = models.OneToOneField(Filing, on_delete=models.CASCADE, related_name="reply")
    name = EncryptedTextField(blank=True, default="")
    content = EncryptedTextField()
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_on = models.DateField(default=timezone.localdate)


class CalendarDay(models.Model):
    """A correction to the working-day calendar that the `holidays` package lacks:
    a working Saturday or an extra day off from a transfer decree. Admins add them."""

    class Kind(models.TextChoices):
        WORKING = "working", _("working day")
        DAY_OFF = "day_off", _("day off")

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("source"), max_length=300, blank=True, help_text=_("The decree that moved the day."))

    class Meta:
        ordering = ["-day"]
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")

    def __str__(self):
        return f"{self.day.isoformat()} {self.get_kind_display()}"
