from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from homeward.accounts.forms import clean_text
from homeward.accounts.models import Account
from homeward.chapters.models import Chapter, Region


class InviteForm(forms.Form):
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=90, initial=settings.INVITE_DEFAULT_DAYS
    )
    single_use = forms.BooleanField(label=_("Single use"), required=False, initial=True)
    max_uses = forms.IntegerField(
        label=_("Or: how many people may use it"), min_value=2, max_value=10000, required=False
    )
    label = forms.CharField(label=_("Note for coordinators (optional)"), max_length=80, required=False)

    def clean_label(self):
        return clean_text(self.cleaned_data["label"])

    def limit(self) -> int | None:
        if self.cleaned_data.get("single_use"):
            return 1
        return self.cleaned_data.get("max_uses")


class HandleLookupForm(forms.Form):
    handle = forms.CharField(label=_("Handle"), max_length=32)

    def clean_handle(self):
        handle = clean_text(self.cleaned_data["handle"]).strip()
        account = Account.objects.by_handle(handle).filter(is_active=True).first()
        if account is None:
            raise ValidationError(_("There is no account with this handle."), code="no_account")
        self.account = account
        return handle


class ChapterSettingsForm(forms.Form):
    is_open = forms.BooleanField(label=_("Open: anyone with an account may join with one click"), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False
    )

    def clean_description(self):
        return clean_text(self.cleaned_data["description"])


class ChapterCreateForm(ChapterSettingsForm):
    region = forms.ModelChoiceField(
        label=_("Federal subject"), queryset=Region.objects.filter(chapter__isnull=True), empty_label=None
    )


class AssignCoordinatorForm(HandleLookupForm):
    chapter = forms.ModelChoiceField(
        label=_("Chapter"), queryset=Chapter.objects.select_related("region"), empty_label=None
    )
