"""Admins edit addressees, campaigns' public fields and the working-day calendar.

Signatures, copies, filings and replies are deliberately not registered: no admin page
lists people with what they signed or filed (PRIVACY.md rule 3).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.appeals.letters import PLACEHOLDERS, unknown_placeholders
from homeward.appeals.models import Addressee, CalendarDay, Campaign
from homeward.appeals.services import filings_refresh_dues


class CampaignAdminForm(forms.ModelForm):
    """The admin checks the letter's placeholders as the coordinators' form does."""

    class Meta:
        model = Campaign
        fields = [
            "title",
            "summary",
            "addressee",
            "channels",
            "template",
            "goal",
            "opens_on",
            "closes_on",
            "closed",
            "scope",
            "chapter",
        ]

    def clean_template(self):
        template = self.cleaned_data["template"]
        unknown = unknown_placeholders(template)
        if unknown:
            raise ValidationError(
                _("Unknown placeholder: %(names)s. Use only %(allowed)s.")
                % {
                    "names": ", ".join("{" + n + "}" for n in unknown),
                    "allowed": ", ".join("{" + n + "}" for n in PLACEHOLDERS),
                }
            )
        return template


@admin.register(Addressee)
class AddresseeAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["body", "official", "postal_address"]
    search_fields = ["body", "official"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ["title", "addressee", "scope", "chapter", "opens_on", "closes_on", "closed", "signature_count"]
    list_filter = ["scope", "closed"]
    # The counter is kept by the signing path alone.
    readonly_fields = ["signature_count", "created_by", "created_on"]
    fields = [
        "title",
        "summary",
        "addressee",
        "channels",
        "template",
        "goal",
        "opens_on",
        "closes_on",
        "closed",
        "scope",
        "chapter",
        "signature_count",
        "created_by",
        "created_on",
    ]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Transfers the `holidays` package lacks. Saving one recomputes the due dates of
    every filing still waiting for its answer."""

    list_display = ["day", "kind", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        filings_refresh_dues(today=timezone.localdate())

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        filings_refresh_dues(today=timezone.localdate())

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        filings_refresh_dues(today=timezone.localdate())
