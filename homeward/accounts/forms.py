import re

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from homeward.accounts.models import TIME_ZONE_CHOICES, Account

HANDLE_RE = re.compile(r"^[^\W\d_][\w.-]{2,31}$")
RESERVED_HANDLES = {"admin", "administrator", "root", "homeward", "coordinator", "support", "moderator", "system"}
MAX_PASSPHRASE = 256


def clean_text(value: str) -> str:
    """Refuse control characters (NUL breaks PostgreSQL; others are never meant)."""
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise ValidationError(_("This contains characters that cannot be typed. Please retype it."), code="control")
    return value


def passphrase_field(label, *, keep: bool = False):
    return forms.CharField(
        label=label,
        strip=False,
        max_length=MAX_PASSPHRASE,
        widget=forms.PasswordInput(
            render_value=keep, attrs={"autocomplete": "new-password" if keep else "current-password"}
        ),
    )


def check_new_passphrase(form: forms.Form, data: dict, account: Account) -> None:
    """Shared checks for a new passphrase typed twice: typable, equal, strong enough."""
    p1, p2 = data.get("passphrase"), data.get("passphrase2")
    if p1 is None:
        return
    try:
        clean_text(p1)
    except ValidationError as exc:
        form.add_error("passphrase", exc)
        return
    if p2 is not None and p1 != p2:
        form.add_error("passphrase2", _("The two passphrases differ. Please type the same one twice."))
        return
    try:
        password_validation.validate_password(p1, account)
    except ValidationError as exc:
        form.add_error("passphrase", exc)


class HandleField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Handle"),
            max_length=32,
            help_text=_(
                "A pseudonym, not your real name: 3 to 32 letters, digits, dots, hyphens or underscores, starting with a letter."
            ),
            **kwargs,
        )

    def clean(self, value):
        value = clean_text(super().clean(value))
        return value


class SignUpForm(forms.Form):
    handle = HandleField()
    passphrase = passphrase_field(_("Passphrase"), keep=True)
    passphrase2 = passphrase_field(_("Passphrase again"), keep=True)

    def clean_handle(self):
        handle = self.cleaned_data["handle"]
        if not HANDLE_RE.match(handle):
            raise ValidationError(
                _("A handle is 3 to 32 letters, digits, dots, hyphens or underscores, and starts with a letter."),
                code="handle_format",
            )
        if handle.casefold() in RESERVED_HANDLES:
            raise ValidationError(_("This handle is reserved. Please choose another."), code="handle_reserved")
        if Account.objects.by_handle(handle).exists():
            raise ValidationError(_("This handle is taken. Please choose another."), code="handle_taken")
        return handle

    def clean(self):
        data = super().clean()
        if data.get("handle"):
            check_new_passphrase(self, data, Account(handle=data["handle"]))
        return data


class SignInForm(forms.Form):
    handle = forms.CharField(label=_("Handle"), max_length=32)
    passphrase = passphrase_field(_("Passphrase"))

    def clean_handle(self):
        return clean_text(self.cleaned_data["handle"])

    def clean_passphrase(self):
        return clean_text(self.cleaned_data["passphrase"])


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise ValidationError(_("The code is six digits."), code="token_format")
        return token


class RecoverForm(forms.Form):
    handle = forms.CharField(label=_("Handle"), max_length=32)
    code = forms.CharField(label=_("Recovery code"), max_length=40)
    passphrase = passphrase_field(_("New passphrase"), keep=True)
    passphrase2 = passphrase_field(_("New passphrase again"), keep=True)

    def clean_handle(self):
        return clean_text(self.cleaned_data["handle"])

    def clean_code(self):
        return clean_text(self.cleaned_data["code"])

    def clean(self):
        data = super().clean()
        if data.get("handle"):
            check_new_passphrase(self, data, Account(handle=data["handle"]))
        return data


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)


class ConfirmPassphraseForm(forms.Form):
    """Re-enter the current passphrase before something that cannot be undone."""

    current = passphrase_field(_("Current passphrase"))

    def __init__(self, *args, account, **kwargs):
        self.account = account
        super().__init__(*args, **kwargs)

    def clean_current(self):
        value = clean_text(self.cleaned_data["current"])
        if not self.account.check_password(value):
            raise ValidationError(_("The current passphrase is not right."), code="wrong_passphrase")
        return value


class ChangePassphraseForm(ConfirmPassphraseForm):
    passphrase = passphrase_field(_("New passphrase"), keep=True)
    passphrase2 = passphrase_field(_("New passphrase again"), keep=True)

    def clean(self):
        data = super().clean()
        check_new_passphrase(self, data, self.account)
        return data


class DeleteAccountForm(ConfirmPassphraseForm):
    confirm = forms.BooleanField(
        label=_("I understand: my account and everything of mine will be deleted now and cannot be restored."),
    )
