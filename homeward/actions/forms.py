import datetime as dt
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from homeward.accounts.forms import clean_text
from homeward.actions.models import IncidentKind, Kind, NoticeState, Status, reveal_hours_default

MAX_LAWYERS = 10
MAX_HOURS = 7 * 24  # an action lasts at most a week
MAX_REVEAL_HOURS = 14 * 24
EARLIEST_YEAR = 2014


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _time_zone_note() -> str:
    return _("Times are in the platform's time zone, %(zone)s.") % {"zone": settings.TIME_ZONE}


#: Read when the form is shown, in her language.
TIME_ZONE_HELP = lazy(_time_zone_note, str)()


def _text(value: str) -> str:
    return clean_text(value).strip()


class ActionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Public. Do not write the exact place here."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    chapter = forms.ModelChoiceField(label=_("Chapter"), queryset=None, empty_label=None)
    city = forms.CharField(label=_("City"), max_length=100, help_text=_("Public: shown to everyone."))
    place = forms.CharField(
        label=_("Exact place"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Encrypted. Shown only to members who said they are coming, and only shortly before the start; "
            "never on public pages or in calendars."
        ),
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput(), help_text=TIME_ZONE_HELP)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    reveal_hours = forms.IntegerField(
        label=_("Show the place this many hours before the start"),
        min_value=0,
        max_value=MAX_REVEAL_HOURS,
        help_text=_("To members who said they are coming."),
    )
    is_public = forms.BooleanField(
        label=_("Announce publicly (title, city and time on public pages and calendars)"),
        required=False,
        initial=True,
    )
    what_to_bring = forms.CharField(
        label=_("What to bring"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    safety_briefing = forms.CharField(
        label=_("Safety briefing"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown to the chapter's members."),
    )
    lawyers_contacts = forms.CharField(
        label=_("Lawyers' contacts"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Encrypted. Shown to coordinators and to a member who pressed “I have been detained”."),
    )
    lawyers = forms.CharField(
        label=_("Lawyer accounts (handles, separated by commas or spaces)"),
        max_length=500,
        required=False,
        help_text=_("They receive the detention alarm, as the chapter's coordinators do."),
    )

    def __init__(self, *args, chapters, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = chapters
        self.fields["reveal_hours"].initial = reveal_hours_default()
        self.editing = editing
        if editing is not None:
            del self.fields["chapter"]
            self.fields["status"] = forms.ChoiceField(label=_("Status"), choices=Status.choices)

    def clean_title(self):
        return _text(self.cleaned_data["title"])

    def clean_city(self):
        return _text(self.cleaned_data["city"])

    def clean_place(self):
        return _text(self.cleaned_data["place"])

    def clean_what_to_bring(self):
        return _text(self.cleaned_data["what_to_bring"])

    def clean_safety_briefing(self):
        return _text(self.cleaned_data["safety_briefing"])

    def clean_lawyers_contacts(self):
        return _text(self.cleaned_data["lawyers_contacts"])

    def clean_lawyers(self):
        from homeward.accounts.models import Account

        raw = _text(self.cleaned_data["lawyers"])
        handles = list(dict.fromkeys(h for h in re.split(r"[\s,;]+", raw) if h))
        handles = [h.removeprefix("@") for h in handles]
        if len(handles) > MAX_LAWYERS:
            raise ValidationError(_("At most %(n)s lawyer accounts.") % {"n": MAX_LAWYERS})
        found, missing = [], []
        for handle in handles:
            account = Account.objects.filter(handle__iexact=handle, is_active=True).first()
            (found.append(account) if account else missing.append(handle))
        if missing:
            raise ValidationError(_("No account with the handle: %(handles)s") % {"handles": ", ".join(missing)})
        return found

    def clean(self):
        data = super().clean()
        for name in ("title", "city", "place"):
            if name in data and not data[name]:
                self.add_error(name, _("This field is required."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        latest_year = timezone.localdate().year + 3
        for name, value in (("starts_at", starts), ("ends_at", ends)):
            if value and not EARLIEST_YEAR <= value.year <= latest_year:
                self.add_error(
                    name,
                    _("Check the year: it must be between %(a)s and %(b)s.") % {"a": EARLIEST_YEAR, "b": latest_year},
                )
                data[name] = None
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends:
            if ends <= starts:
                self.add_error("ends_at", _("The end must be after the start."))
            elif ends - starts > dt.timedelta(hours=MAX_HOURS):
                self.add_error("ends_at", _("An action lasts at most a week."))
        return data


class NoticeForm(forms.Form):
    """Where the notice to the authorities (уведомление) stands."""

    state = forms.ChoiceField(label=_("Notice"), choices=NoticeState.choices)
    filed_on = forms.DateField(label=_("Filed on"), required=False, widget=DateInput())
    reason = forms.CharField(
        label=_("Reason given for the refusal"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    counter_proposal = forms.CharField(
        label=_("What the authorities proposed instead"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Encrypted, like the place."),
    )

    def clean_reason(self):
        return _text(self.cleaned_data["reason"])

    def clean_counter_proposal(self):
        return _text(self.cleaned_data["counter_proposal"])

    def clean(self):
        data = super().clean()
        state, filed_on = data.get("state"), data.get("filed_on")
        answered = {NoticeState.FILED, NoticeState.AGREED, NoticeState.REFUSED, NoticeState.COUNTER_PROPOSAL}
        if state in answered and not filed_on and "filed_on" not in self.errors:
            self.add_error("filed_on", _("When was the notice filed?"))
        problem = _past_date_problem(filed_on) if filed_on and "filed_on" not in self.errors else None
        if problem:
            self.add_error("filed_on", problem)
        if state in {NoticeState.NOT_NEEDED, NoticeState.TO_FILE}:
            data["filed_on"] = None
        if state == NoticeState.REFUSED and not data.get("reason") and "reason" not in self.errors:
            self.add_error("reason", _("Write the reason the authorities gave."))
        if (
            state == NoticeState.COUNTER_PROPOSAL
            and not data.get("counter_proposal")
            and "counter_proposal" not in self.errors
        ):
            self.add_error("counter_proposal", _("Write what the authorities proposed."))
        return data


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=IncidentKind.choices)
    count = forms.IntegerField(label=_("How many people"), min_value=1, max_value=100_000, initial=1)
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note (no names)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write what happened, never who: no names, no handles. Encrypted."),
    )

    def clean_note(self):
        return _text(self.cleaned_data["note"])

    def clean_on(self):
        on = self.cleaned_data["on"]
        problem = _past_date_problem(on)
        if problem:
            raise ValidationError(problem)
        return on


def _past_date_problem(value) -> str | None:
    """What is wrong with a date that has already happened (a filing, an incident), if anything."""
    if value.year < EARLIEST_YEAR:
        return _("Check the year.")
    if value > timezone.localdate():
        return _("This date cannot be in the future.")
    return None


class RSVPForm(forms.Form):
    coming = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
