"""What appeal campaigns and question campaigns share: a scope (the whole movement or one
chapter), who takes part in it, who runs it, and the form fields that choose it."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.chapters.models import Membership
from homeward.chapters.selectors import coordinated_chapters


class Scope(models.TextChoices):
    MOVEMENT = "movement", _("the whole movement")
    CHAPTER = "chapter", _("one chapter")


# --- rules (each app registers its own names with these) -----------------------------------


def active(account) -> bool:
    return bool(account.is_authenticated and account.is_active)


def admin(account) -> bool:
    return active(account) and account.is_admin


def takes_part(account, campaign) -> bool:
    """Anyone active in a movement campaign; a chapter campaign, its chapter's members."""
    if not active(account):
        return False
    if campaign.scope == Scope.MOVEMENT:
        return True
    return Membership.objects.filter(account=account, chapter_id=campaign.chapter_id).exists()


def may_create(account) -> bool:
    """Admins, and coordinators (for the movement or for their chapter)."""
    return admin(account) or (active(account) and coordinated_chapters(account).exists())


def manages(account, campaign) -> bool:
    """Admins and the coordinators of the campaign's chapter."""
    if admin(account):
        return True
    return bool(
        active(account)
        and campaign.chapter_id
        and Membership.objects.filter(
            account=account, chapter_id=campaign.chapter_id, role=Membership.Role.COORDINATOR
        ).exists()
    )


# --- the form fields ---------------------------------------------------------------------


def scope_fields() -> tuple[forms.ChoiceField, forms.ModelChoiceField]:
    """`scope, chapter = scope_fields()` in a campaign form's body (with ScopeChoice)."""
    return (
        forms.ChoiceField(label=_("Who takes part"), choices=Scope.choices, initial=Scope.MOVEMENT),
        forms.ModelChoiceField(label=_("Chapter"), queryset=None, required=False),
    )


class ScopeChoice:
    """For a campaign form with `scope_fields()`: the chapters she may choose, and the checks."""

    def setup_scope(self, *, chapters, chapter_required: bool, editing) -> None:
        """The chapters she may run a campaign for (chapters_to_run_for); once the campaign
        exists its scope and chapter are fixed, so editing drops both fields."""
        self.chapter_required = chapter_required
        if editing is not None:
            del self.fields["scope"]
            del self.fields["chapter"]
            return
        self.fields["chapter"].queryset = chapters
        self.fields["chapter"].help_text = _("The chapter whose coordinators run the campaign.")
        if chapter_required:
            self.fields["chapter"].empty_label = None

    def clean_scope_fields(self, data: dict) -> None:
        if "scope" not in self.fields:
            return
        if data.get("scope") == Scope.CHAPTER and not data.get("chapter") and not self.has_error("chapter"):
            self.add_error("chapter", _("Choose the chapter whose members take part."))
        if self.chapter_required and not data.get("chapter") and not self.has_error("chapter"):
            self.add_error("chapter", _("Choose your chapter."))
