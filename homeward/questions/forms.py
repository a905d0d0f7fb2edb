"""Forms of the question bank. Every text passes clean_text; dates are checked against each other."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.forms import clean_text
from homeward.chapters.campaigns import ScopeChoice, scope_fields
from homeward.families.forms import DateInput
from homeward.lib.uploads import clean_video
from homeward.questions.models import Outcome, Status

MIN_QUESTION = 15
MAX_QUESTION = 1000
EARLIEST = dt.date(2022, 1, 1)


def _text(value: str) -> str:
    return clean_text(value or "").strip()


class CampaignForm(ScopeChoice, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    event = forms.CharField(
        label=_("Event"), max_length=200, help_text=_("Where the questions go, e.g. the annual televised Q&A.")
    )
    event_on = forms.DateField(label=_("Event date"), widget=DateInput())
    about = forms.CharField(
        label=_("Text for members"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    opens_on = forms.DateField(label=_("Questions from"), widget=DateInput())
    closes_on = forms.DateField(label=_("Questions until"), widget=DateInput())
    premoderated = forms.BooleanField(
        label=_("Questions wait for a coordinator's approval before others see them"), required=False, initial=True
    )
    scope, chapter = scope_fields()

    def __init__(self, *args, chapters, chapter_required: bool, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_scope(chapters=chapters, chapter_required=chapter_required, editing=editing)

    def clean_title(self):
        return _text(self.cleaned_data["title"])

    def clean_event(self):
        return _text(self.cleaned_data["event"])

    def clean_about(self):
        return _text(self.cleaned_data["about"])

    def clean(self):
        data = super().clean()
        latest = timezone.localdate() + dt.timedelta(days=2 * 366)
        for name in ("opens_on", "closes_on", "event_on"):
            value = data.get(name)
            if value and not EARLIEST <= value <= latest:
                self.add_error(name, _("Choose a date from 2022 to two years from now."))
                data[name] = None
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Questions cannot close before they open."))
        self.clean_scope_fields(data)
        return data


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        min_length=MIN_QUESTION,
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("From %(min)s to %(max)s characters. Others see the text, never who asked it.")
        % {"min": MIN_QUESTION, "max": MAX_QUESTION},
        error_messages={
            "min_length": _("Please write at least %(limit_value)d characters (you wrote %(show_value)d)."),
            "max_length": _("Please keep it to %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    show_handle = forms.BooleanField(
        label=_("Coordinators may see my handle with this question"),
        required=False,
        help_text=_("Off by default. Other members and the public never see who asked."),
    )
    video = forms.FileField(
        label=_("A short video question (optional)"),
        required=False,
        help_text=_(
            "MP4 or WebM, up to 50 MB. Only the campaign's coordinators can watch it; it is encrypted here. "
            "The file's metadata is kept as it is: remove location data before you upload."
        ),
    )

    def clean_question(self):
        value = " ".join(_text(self.cleaned_data["question"]).split())
        if len(value) < MIN_QUESTION:
            raise ValidationError(
                _("Please write at least %(limit_value)d characters (you wrote %(show_value)d).")
                % {"limit_value": MIN_QUESTION, "show_value": len(value)},
                code="min_length",
            )
        if not any(ch.isalpha() for ch in value):
            raise ValidationError(_("A question needs words."), code="no_words")
        return value

    def clean_video(self):
        uploaded = self.cleaned_data.get("video")
        return clean_video(uploaded) if uploaded else None


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the author"),
        max_length=300,
        help_text=_("For example: it names a person; it is not a question; it repeats a question of hers."),
    )

    def clean_reason(self):
        value = _text(self.cleaned_data["reason"])
        if not value:
            raise ValidationError(_("Say why, so that she can ask again."), code="required")
        return value


class WordingForm(forms.Form):
    wording = forms.CharField(
        label=_("Representative wording"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown for the whole group and printed in the brief. Empty: the first approved question."),
    )

    def clean_wording(self):
        return " ".join(_text(self.cleaned_data["wording"]).split())


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    link = forms.URLField(
        label=_("Link (e.g. to the recording)"), max_length=500, required=False, assume_scheme="https"
    )

    def clean_note(self):
        return _text(self.cleaned_data["note"])

    def clean_link(self):
        link = self.cleaned_data["link"]
        if link and not link.lower().startswith(("https://", "http://")):
            raise ValidationError(_("Enter a web address starting with https://."), code="scheme")
        return link


class MergeForm(forms.Form):
    target = forms.IntegerField(label=_("Keep this group"), min_value=1, max_value=2**62)
    merge = forms.TypedMultipleChoiceField(
        label=_("Merge these into it"),
        coerce=int,
        choices=(),
        error_messages={"invalid_choice": _("A group chosen to merge is gone: it may have been merged already.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merge"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("target") and data.get("merge") and set(data["merge"]) <= {data["target"]}:
            self.add_error("merge", _("Choose at least one other group to merge."))
        return data


class QueueFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("all"))] + list(Status.choices), required=False, initial=Status.PENDING
    )
    chapter = forms.ModelChoiceField(label=_("Chapter"), queryset=None, required=False, empty_label=_("all"))

    def __init__(self, *args, chapters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = chapters


class ExportForm(forms.Form):
    top = forms.IntegerField(label=_("How many groups"), min_value=1, max_value=1000, initial=70)
