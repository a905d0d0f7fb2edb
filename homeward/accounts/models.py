"""Accounts: pseudonymous, no e-mail, no phone, no IP, no login timestamps."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
import zoneinfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin
from django_otp.oath import TOTP
from django_otp.util import random_hex

from homeward.lib.fields import EncryptedTextField
from homeward.lib.rows import get_by_pk

TIME_ZONE_CHOICES = sorted(
    (tz, tz) for tz in zoneinfo.available_timezones() if tz.startswith(("Europe/", "Asia/", "UTC"))
)


def fold_handle(handle: str) -> str:
    """The form of a handle that decides uniqueness and lookups: Unicode-normalized and
    case-folded in Python, because SQLite's LOWER() folds only ASCII ("Мария" ≠ "мария")."""
    return unicodedata.normalize("NFKC", handle).casefold()


class AccountManager(BaseUserManager):
    use_in_migrations = True

    def get(self, *args, **kwargs):
        """`Account.objects.get(pk=...)` — what authentication runs on every signed-in
        request (ModelBackend.get_user) — through a SELECT compiled once; any other
        lookup goes through the ORM as usual. Same instance, same DoesNotExist."""
        if not args and len(kwargs) == 1 and "pk" in kwargs:
            return get_by_pk(self.model, kwargs["pk"], using=self.db)
        return super().get(*args, **kwargs)

    def get_by_natural_key(self, handle):
        return self.get(handle_folded=fold_handle(handle))

    def by_handle(self, handle: str):
        return self.filter(handle_folded=fold_handle(handle))

    def create_user(self, handle, password=None, **extra):
        account = self.model(handle=handle, **extra)
        account.set_password(password)
        account.save(using=self._db)
        return account

    def create_superuser(self, handle, password=None, **extra):
        extra.setdefault("is_admin", True)
        return self.create_user(handle, password, **extra)


class Account(AbstractBaseUser):
    """An account (учётная запись), known only by its handle (псевдоним)."""

    handle = models.CharField(_("handle"), max_length=32, unique=True)
    # fold_handle(handle), kept in step by save(): what makes handles unique regardless of case.
    handle_folded = models.CharField(max_length=64, unique=True, editable=False)
    is_admin = models.BooleanField(_("admin"), default=False)
    is_active = models.BooleanField(default=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="ru")
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    # A date, not a timestamp: enough to tell a new account from an old one.
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    # Bumped by "sign out everywhere"; part of the session hash, so old sessions die.
    session_generation = models.PositiveIntegerField(default=0)

    # AbstractBaseUser keeps a last-login timestamp; we do not (PRIVACY.md).
    last_login = None

    USERNAME_FIELD = "handle"
    REQUIRED_FIELDS: list[str] = []
    objects = AccountManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.handle

    def save(self, *args, **kwargs):
        self.handle_folded = fold_handle(self.handle)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "handle" in update_fields:
            kwargs["update_fields"] = {*update_fields, "handle_folded"}
        super().save(*args, **kwargs)

    @property
    def is_staff(self) -> bool:
        return self.is_admin

    @property
    def is_superuser(self) -> bool:
        return self.is_admin

    # Django's admin asks these; admins hold every model permission, nobody else any.
    def has_perm(self, perm, obj=None) -> bool:
        return self.is_active and self.is_admin

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(p, obj) for p in perm_list)

    def has_module_perms(self, app_label) -> bool:
        return self.is_active and self.is_admin

    def get_session_auth_hash(self):
        """Sessions die when the passphrase changes or the generation is bumped."""
        return salted_hmac(
            "homeward.accounts.session",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def has_totp(self) -> bool:
        return self.totp_devices.filter(confirmed=True).exists()


def _hash_code(code: str) -> str:
    normalized = "".join(ch for ch in code.lower() if ch.isalnum())
    return hmac.new(b"homeward-recovery", normalized.encode(), hashlib.sha256).hexdigest()


class RecoveryCode(models.Model):
    """One-time recovery code (код восстановления), stored only as a hash.

    Codes carry 80 random bits, so a plain SHA-256 is out of reach of brute force
    and lets us check a code without ten slow passphrase hashes.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "code_hash"], name="recovery_code_unique")]

    hash_code = staticmethod(_hash_code)


class LoginThrottle(models.Model):
    """Failed sign-in attempts per handle, keyed by an HMAC of the handle — never an IP.

    A token bucket: `failures` counts recent failures; when it reaches the allowance
    the handle is locked until `locked_until`.
    """

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_started = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)


class TOTPDevice(ThrottlingMixin, Device):
    """A TOTP second factor whose secret is encrypted at rest.

    django-otp's own TOTPDevice keeps the secret in plain hex; a seized database
    would then hand over every second factor. This one seals it with the data key.
    """

    user = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="totp_devices")
    key = EncryptedTextField(default="")
    last_t = models.BigIntegerField(default=-1)

    STEP = 30
    DIGITS = 6
    TOLERANCE = 1

    class Meta:
        verbose_name = _("TOTP device")

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = random_hex(20)
        super().save(*args, **kwargs)

    @property
    def bin_key(self) -> bytes:
        return bytes.fromhex(self.key)

    def config_url(self) -> str:
        import base64
        from urllib.parse import quote

        secret = base64.b32encode(self.bin_key).decode().rstrip("=")
        issuer = settings.OTP_TOTP_ISSUER
        label = quote(f"{issuer}:{self.user.handle}")
        return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={self.DIGITS}&period={self.STEP}"

    def secret_b32(self) -> str:
        import base64

        return base64.b32encode(self.bin_key).decode().rstrip("=")

    def get_throttle_factor(self):
        return 1

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        token = "".join(str(token).split())
        if not token.isdigit() or len(token) != self.DIGITS:
            self.throttle_increment()
            return False
        totp = TOTP(self.bin_key, self.STEP, 0, self.DIGITS, 0)
        totp.time = timezone.now().timestamp()
        matched = totp.verify(int(token), self.TOLERANCE, self.last_t + 1)
        if matched:
            self.last_t = totp.t()
            self.throttle_reset(commit=False)
            self.save(update_fields=["last_t", "throttling_failure_timestamp", "throttling_failure_count"])
            return True
        self.throttle_increment()
        return False
