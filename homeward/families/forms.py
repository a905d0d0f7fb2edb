import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.accounts.forms import clean_text
from homeward.chapters.models import Region
from homeward.families.models import LovedOne, Relation, Status

EARLIEST_CALL_UP = dt.date(2014, 1, 1)  # before this, a date is a typo, not an early call-up


def mobilization_started() -> dt.date:
    return dt.date.fromisoformat(settings.MOBILIZATION_STARTED)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LovedOneForm(forms.Form):
    relation = forms.ChoiceField(label=_("Who is he to you"), choices=Relation.choices)
    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=200,
        required=False,
        help_text=_("Encrypted. Only you can see it. You may leave it empty or use a nickname."),
    )
    mobilized_on = forms.DateField(label=_("Date of mobilization"), widget=DateInput())
    early_call_up = forms.BooleanField(
        label=_("Yes, he was called up before 21 September 2022"),
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region he was called up from"), queryset=Region.objects.all(), empty_label=None
    )
    unit = forms.CharField(
        label=_("Unit (optional)"),
        max_length=200,
        required=False,
        help_text=_("Encrypted. Only you can see it."),
    )
    status = forms.ChoiceField(label=_("Status now"), choices=Status.choices, initial=Status.SERVING)
    status_since = forms.DateField(label=_("Since"), widget=DateInput(), required=False)
    last_leave_on = forms.DateField(label=_("Last leave began on (optional)"), widget=DateInput(), required=False)
    last_contact_on = forms.DateField(label=_("Last contact (optional)"), widget=DateInput(), required=False)

    def __init__(self, *args, editing: LovedOne | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing is not None:
            # Status has its own dated history; it is changed with the status form.
            del self.fields["status"]
            del self.fields["status_since"]

    def clean_name(self):
        return clean_text(self.cleaned_data["name"]).strip()

    def clean_unit(self):
        return clean_text(self.cleaned_data["unit"]).strip()

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        mobilized = data.get("mobilized_on")
        if mobilized:
            if mobilized > today:
                self.add_error("mobilized_on", _("The date of mobilization cannot be in the future."))
            elif mobilized < EARLIEST_CALL_UP:
                self.add_error("mobilized_on", _("This date is too early. Please check the year."))
            elif mobilized < mobilization_started() and not data.get("early_call_up"):
                self.add_error(
                    "mobilized_on",
                    _(
                        "Mobilization was announced on 21 September 2022. If he was called up earlier, "
                        "tick the box below to confirm."
                    ),
                )
        if mobilized and "status_since" in self.fields:
            since = data.get("status_since") or mobilized
            data["status_since"] = since
            if since < mobilized:
                self.add_error("status_since", _("The status cannot start before the date of mobilization."))
            elif since > today:
                self.add_error("status_since", _("This date cannot be in the future."))
        for name in ("last_leave_on", "last_contact_on"):
            value = data.get(name)
            if value and mobilized and value < mobilized:
                self.add_error(name, _("This date cannot be before the date of mobilization."))
            elif value and value > today:
                self.add_error(name, _("This date cannot be in the future."))
        first_status = (
            self.editing.history.order_by("on").values_list("on", flat=True).first() if self.editing else None
        )
        if first_status and mobilized and mobilized > first_status:
            self.add_error("mobilized_on", _("The date of mobilization cannot be after the first status date."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    on = forms.DateField(label=_("Since"), widget=DateInput())

    def __init__(self, *args, loved_one: LovedOne, **kwargs):
        super().__init__(*args, **kwargs)
        self.loved_one = loved_one

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise ValidationError(_("This date cannot be in the future."))
        if on < self.loved_one.status_since:
            raise ValidationError(
                _("Status dates go in order: this one cannot be before the current status date (%(date)s).")
                % {"date": self.loved_one.status_since.strftime("%d.%m.%Y")}
            )
        return on


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DateInput(), required=False)
