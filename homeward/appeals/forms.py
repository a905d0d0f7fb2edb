"""Forms of the appeals app. Every text passes clean_text; every date is checked against today."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.forms import clean_text
from homeward.appeals import letters
from homeward.appeals.models import FILING_CHANNELS, RECORDED_OUTCOMES, Addressee, Outcome
from homeward.appeals.uploads import clean_reply
from homeward.chapters.campaigns import ScopeChoice, scope_fields
from homeward.families.forms import DateInput

EARLIEST = dt.date(2022, 1, 1)  # before the mobilization: a typo, not a campaign
EMAIL_DOES_NOT_COUNT = _(
    "Since 30 March 2025 an appeal sent by plain e-mail does not count as an electronic appeal "
    "(Federal Law 547-FZ): file it through the body's official website or system, Gosuslugi, by post or in person."
)
ART_11 = _(
    "Optional. Your name is printed only in the collective letter, which coordinators download after the "
    "campaign closes; it is encrypted here and shown nowhere else. Why give it: under Article 11 of Federal Law "
    "59-FZ an appeal without the sender's name need not be answered, so signatures with names weigh more."
)


def _text(value: str) -> str:
    return clean_text(value or "").strip()


def _not_future(form, data, name, today):
    value = data.get(name)
    if value and value > today:
        form.add_error(name, _("This date cannot be in the future."))
        return False
    return True


def _channel_choices():
    return [(c.value, c.label) for c in FILING_CHANNELS]


# --- campaigns -------------------------------------------------------------------------


class CampaignForm(ScopeChoice, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Text for members"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why this appeal, and what to do. Shown on the campaign's page."),
    )
    addressee = forms.ModelChoiceField(
        label=_("Addressee"),
        queryset=Addressee.objects.all(),
        required=False,
        empty_label=_("— a new addressee (fill in below) —"),
    )
    new_official = forms.CharField(label=_("New addressee: official"), max_length=200, required=False)
    new_body = forms.CharField(label=_("New addressee: body"), max_length=300, required=False)
    new_postal_address = forms.CharField(label=_("New addressee: postal address"), max_length=300, required=False)
    new_reception_url = forms.URLField(
        label=_("New addressee: online reception page"), max_length=500, required=False, assume_scheme="https"
    )
    channels = forms.MultipleChoiceField(
        label=_("How members file it"),
        choices=_channel_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=EMAIL_DOES_NOT_COUNT,
    )
    template = forms.CharField(
        label=_("Letter template"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Placeholders filled from each member's own records: {full_name}, {postal_address}, {loved_one_name}, "
            "{mobilized_on}, {days_served}, {region}, {today}. In the collective letter the personal ones are left "
            "blank to fill by hand."
        ),
    )
    goal = forms.IntegerField(label=_("Signature goal (optional)"), required=False, min_value=1, max_value=10_000_000)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on (optional)"), widget=DateInput(), required=False)
    scope, chapter = scope_fields()

    def __init__(self, *args, chapters, chapter_required: bool, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.setup_scope(chapters=chapters, chapter_required=chapter_required, editing=editing)
        if editing is not None:
            for name in ("addressee", "new_official", "new_body", "new_postal_address", "new_reception_url"):
                del self.fields[name]
            if editing.signature_count:
                # People signed this text: it cannot change under their signatures.
                self.fields["template"].disabled = True
                self.fields["template"].help_text = _("The letter cannot change once someone has signed it.")

    def clean_title(self):
        return _text(self.cleaned_data["title"])

    def clean_summary(self):
        return _text(self.cleaned_data["summary"])

    def clean_template(self):
        template = _text(self.cleaned_data["template"])
        unknown = letters.unknown_placeholders(template)
        if unknown:
            raise ValidationError(
                _("Unknown placeholder: %(names)s. Use only %(allowed)s.")
                % {
                    "names": ", ".join("{" + n + "}" for n in unknown),
                    "allowed": ", ".join("{" + n + "}" for n in letters.PLACEHOLDERS),
                },
                code="placeholder",
            )
        return template

    def clean_new_official(self):
        return _text(self.cleaned_data.get("new_official"))

    def clean_new_body(self):
        return _text(self.cleaned_data.get("new_body"))

    def clean_new_postal_address(self):
        return _text(self.cleaned_data.get("new_postal_address"))

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        needs_new = self.editing is None and "addressee" in self.fields and not data.get("addressee")
        if needs_new and not data.get("new_body") and not self.has_error("new_body"):
            self.add_error("new_body", _("Choose an addressee or name the body of a new one."))
        opens, closes = data.get("opens_on"), data.get("closes_on")
        latest = today + dt.timedelta(days=366)
        if opens and not EARLIEST <= opens <= latest:
            self.add_error("opens_on", _("Choose a date from 2022 to a year from now."))
            opens = None
        if opens and closes:
            if closes < opens:
                self.add_error("closes_on", _("A campaign cannot close before it opens."))
            elif closes > opens + dt.timedelta(days=5 * 366):
                self.add_error("closes_on", _("A campaign runs five years at most."))
        self.clean_scope_fields(data)
        return data


# --- taking part -----------------------------------------------------------------------


class SignForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name for this letter"), max_length=200, required=False, help_text=ART_11
    )

    def clean_full_name(self):
        return " ".join(_text(self.cleaned_data["full_name"]).split())


class CopyForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your surname, first name and patronymic"),
        max_length=200,
        required=False,
        help_text=_("Needed for an answer (59-FZ art. 7). Used for this PDF only and not stored."),
    )
    postal_address = forms.CharField(
        label=_("Postal address for the reply"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for an answer (59-FZ art. 7). Used for this PDF only and not stored."),
    )
    loved_one = forms.ModelChoiceField(
        label=_("Loved one the letter is about"), queryset=None, required=False, empty_label=_("— none —")
    )
    letter = forms.CharField(
        label=_("The letter (you can edit it)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
    )

    def __init__(self, *args, loved_ones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loved_one"].queryset = loved_ones
        self.fields["loved_one"].label_from_instance = lambda lo: lo.display_name()

    def clean_full_name(self):
        return " ".join(_text(self.cleaned_data["full_name"]).split())

    def clean_postal_address(self):
        return _text(self.cleaned_data["postal_address"])

    def clean_letter(self):
        return _text(self.cleaned_data["letter"])

    def check_ready(self) -> bool:
        """Before the PDF: the name and address are there, and no «[[…]]» prompt is left."""
        data = self.cleaned_data
        if not data.get("full_name"):
            self.add_error("full_name", _("Type your full name: an appeal without it need not be answered."))
        if not data.get("postal_address"):
            self.add_error("postal_address", _("Type the postal address the answer should go to."))
        if not data.get("letter"):
            self.add_error("letter", _("The letter is empty."))
        elif letters.prompts_left(data["letter"]):
            self.add_error(
                "letter",
                _("The letter still has gaps marked [[…]]: %(gaps)s. Fill them in or delete them.")
                % {"gaps": ", ".join(letters.prompts_left(data["letter"]))},
            )
        return not self.errors


# --- filings ---------------------------------------------------------------------------


class FilingForm(forms.Form):
    channel = forms.ChoiceField(label=_("How you filed it"), choices=_channel_choices, help_text=EMAIL_DOES_NOT_COUNT)
    sent_on = forms.DateField(label=_("Date sent"), widget=DateInput())
    received_on = forms.DateField(
        label=_("Date it reached the body (if you know, e.g. from postal tracking)"), widget=DateInput(), required=False
    )
    registration_number = forms.CharField(
        label=_("Registration number (when you have it)"),
        max_length=100,
        required=False,
        help_text=_("Encrypted. Only you can see it."),
    )
    registered_on = forms.DateField(
        label=_("Date of registration (when you know it)"), widget=DateInput(), required=False
    )

    def __init__(self, *args, campaign, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.editing = editing
        if editing is not None and editing.channel == "forwarded":
            del self.fields["channel"]
            self.fields["sent_on"].label = _("Date it was forwarded")

    def clean_registration_number(self):
        return " ".join(_text(self.cleaned_data["registration_number"]).split())

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        sent = data.get("sent_on")
        for name in ("sent_on", "received_on", "registered_on"):
            _not_future(self, data, name, today)
        earliest = (
            self.campaign.opens_on if self.editing is None or self.editing.forwarded_from_id is None else EARLIEST
        )
        if sent and sent < min(earliest, today):
            self.add_error(
                "sent_on",
                _("The campaign opened on %(date)s; a filing cannot be sent before that.")
                % {"date": earliest.strftime("%d.%m.%Y")},
            )
        for name in ("received_on", "registered_on"):
            value = data.get(name)
            if value and sent and value < sent:
                self.add_error(name, _("This date cannot be before the date it was sent."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What came back"),
        choices=[("", _("— choose —")), *[(o.value, o.label) for o in RECORDED_OUTCOMES]],
    )
    on = forms.DateField(label=_("Date of the answer or of the forwarding notice"), widget=DateInput())
    forwarded_to = forms.ModelChoiceField(
        label=_("Forwarded to (if it was)"),
        queryset=Addressee.objects.all(),
        required=False,
        empty_label=_("— another body —"),
    )
    forwarded_to_name = forms.CharField(label=_("…or the body's name"), max_length=300, required=False)

    def __init__(self, *args, filing, **kwargs):
        super().__init__(*args, **kwargs)
        self.filing = filing

    def clean_forwarded_to_name(self):
        return " ".join(_text(self.cleaned_data["forwarded_to_name"]).split())

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        on = data.get("on")
        if _not_future(self, data, "on", today) and on and on < self.filing.sent_on:
            self.add_error("on", _("This date cannot be before the date it was sent."))
        no_body = not (data.get("forwarded_to") or data.get("forwarded_to_name"))
        if data.get("outcome") == Outcome.FORWARDED and no_body and not self.has_error("forwarded_to_name"):
            self.add_error("forwarded_to_name", _("Say which body it was forwarded to."))
        return data


class ExtensionForm(forms.Form):
    notified_on = forms.DateField(label=_("Date of the notice of extension"), widget=DateInput())
    days = forms.IntegerField(
        label=_("Extended by, days (at most 30)"),
        min_value=1,
        max_value=30,
        initial=30,
        help_text=_("59-FZ art. 12 part 2: once, by at most 30 days, and only with a notice to you."),
    )

    def __init__(self, *args, filing, **kwargs):
        super().__init__(*args, **kwargs)
        self.filing = filing

    def clean(self):
        data = super().clean()
        on = data.get("notified_on")
        if _not_future(self, data, "notified_on", timezone.localdate()) and on and on < self.filing.sent_on:
            self.add_error("notified_on", _("This date cannot be before the date it was sent."))
        return data


class ReplyForm(forms.Form):
    file = forms.FileField(
        label=_("The reply (PDF or a photo)"),
        help_text=_("Encrypted. Only you can open it. Photos are re-encoded, which removes their location data."),
    )

    def clean_file(self):
        return clean_reply(self.cleaned_data["file"])


class ComplaintForm(forms.Form):
    prosecutor = forms.CharField(label=_("To"), max_length=300)
    full_name = forms.CharField(label=_("Your surname, first name and patronymic"), max_length=200)
    postal_address = forms.CharField(
        label=_("Postal address for the reply"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    text = forms.CharField(
        label=_("The complaint (you can edit it)"), max_length=20000, widget=forms.Textarea(attrs={"rows": 18})
    )

    def clean_prosecutor(self):
        return " ".join(_text(self.cleaned_data["prosecutor"]).split())

    def clean_full_name(self):
        return " ".join(_text(self.cleaned_data["full_name"]).split())

    def clean_postal_address(self):
        return _text(self.cleaned_data["postal_address"])

    def clean_text(self):
        text = _text(self.cleaned_data["text"])
        if letters.prompts_left(text):
            raise ValidationError(
                _("The letter still has gaps marked [[…]]: %(gaps)s. Fill them in or delete them.")
                % {"gaps": ", ".join(letters.prompts_left(text))}
            )
        return text


class ConfirmForm(forms.Form):
    """A POST with nothing to fill in (delete, close): the CSRF token is the whole form."""
