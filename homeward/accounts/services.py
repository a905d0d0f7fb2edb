"""Account services: every write to accounts goes through here (HackSoft style)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.utils import timezone

from homeward.accounts.models import Account, LoginThrottle, RecoveryCode, TOTPDevice
from homeward.lib.crypto import blind_index
from homeward.lib.versions import PUBLIC_STATS, version_bump

RECOVERY_CODE_COUNT = 10
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud, typed on a phone


class HandleTaken(Exception):
    pass


# --- sign-up and recovery codes ---------------------------------------------------


def _new_recovery_code() -> str:
    # 16 characters from 31 symbols: about 79 bits.
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def recovery_codes_generate(*, account: Account) -> list[str]:
    """Replace the account's recovery codes with ten new ones; returns them in clear, once."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(account=account).delete()
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(account=account, code_hash=RecoveryCode.hash_code(c)) for c in codes]
        )
    return codes


def account_create(*, handle: str, passphrase: str, language: str = "ru") -> tuple[Account, list[str]]:
    """Create an account and its recovery codes in one transaction (never half an account)."""
    try:
        with transaction.atomic():
            account = Account(handle=handle, language=language)
            account.set_password(passphrase)
            account.save()
            codes = recovery_codes_generate(account=account)
    except IntegrityError as exc:
        raise HandleTaken(handle) from exc
    return account, codes


# --- throttling (by handle, never by address) -------------------------------------


def _throttle_key(purpose: str, handle: str) -> str:
    return blind_index(handle, purpose=f"throttle:{purpose}")


def throttle_locked_until(*, purpose: str, handle: str, now: dt.datetime) -> dt.datetime | None:
    row = LoginThrottle.objects.filter(key=_throttle_key(purpose, handle)).first()
    if row and row.locked_until and row.locked_until > now:
        return row.locked_until
    return None


def throttle_fail(*, purpose: str, handle: str, now: dt.datetime) -> None:
    window = dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    key = _throttle_key(purpose, handle)
    with transaction.atomic():
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(key=key, defaults={"window_started": now})
        if now - row.window_started > window:
            row.failures = 0
            row.window_started = now
        row.failures += 1
        if row.failures >= settings.LOGIN_FAILURES_ALLOWED:
            row.locked_until = now + window
            row.failures = 0
            row.window_started = now
        row.save()


def throttle_clear(*, purpose: str, handle: str) -> None:
    LoginThrottle.objects.filter(key=_throttle_key(purpose, handle)).delete()


def throttle_prune(*, now: dt.datetime) -> int:
    """Drop rows that no longer lock anything (daily job)."""
    cutoff = now - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    deleted, _ = LoginThrottle.objects.filter(window_started__lt=cutoff).exclude(locked_until__gt=now).delete()
    return deleted


@dataclass
class SignInResult:
    account: Account | None = None
    locked_until: dt.datetime | None = None


def sign_in_check(*, request, handle: str, passphrase: str, now: dt.datetime) -> SignInResult:
    """Check a handle and passphrase under the per-handle lockout."""
    locked = throttle_locked_until(purpose="login", handle=handle, now=now)
    if locked:
        return SignInResult(locked_until=locked)
    account = authenticate(request, handle=handle, password=passphrase)
    if account is None:
        throttle_fail(purpose="login", handle=handle, now=now)
        return SignInResult(locked_until=throttle_locked_until(purpose="login", handle=handle, now=now))
    throttle_clear(purpose="login", handle=handle)
    return SignInResult(account=account)


def account_recover(*, handle: str, code: str, new_passphrase: str, now: dt.datetime) -> SignInResult:
    """Use one recovery code to set a new passphrase; the code is spent atomically."""
    locked = throttle_locked_until(purpose="recover", handle=handle, now=now)
    if locked:
        return SignInResult(locked_until=locked)
    account = Account.objects.by_handle(handle).filter(is_active=True).first()
    spent = 0
    if account is not None:
        with transaction.atomic():
            spent, _ = RecoveryCode.objects.filter(account=account, code_hash=RecoveryCode.hash_code(code)).delete()
            if spent:
                account.set_password(new_passphrase)
                account.session_generation += 1
                account.save(update_fields=["password", "session_generation"])
    if not spent:
        throttle_fail(purpose="recover", handle=handle, now=now)
        return SignInResult(locked_until=throttle_locked_until(purpose="recover", handle=handle, now=now))
    throttle_clear(purpose="recover", handle=handle)
    return SignInResult(account=account)


# --- settings ----------------------------------------------------------------------


def preferences_update(*, account: Account, language: str, time_zone: str) -> None:
    account.language = language
    account.time_zone = time_zone
    account.save(update_fields=["language", "time_zone"])


def passphrase_change(*, account: Account, new_passphrase: str) -> None:
    account.set_password(new_passphrase)
    account.save(update_fields=["password"])


def sign_out_everywhere(*, account: Account) -> None:
    """Every session of this account stops working, this one included."""
    Account.objects.filter(pk=account.pk).update(session_generation=account.session_generation + 1)
    account.session_generation += 1


def account_delete(*, account: Account) -> None:
    """Hard delete: the account and, by cascade, every record of hers in every app."""
    from homeward.appeals.services import appeals_forget_account
    from homeward.questions.services import questions_forget_account

    with transaction.atomic():
        appeals_forget_account(account=account)
        questions_forget_account(account=account)
        account.delete()
        version_bump(PUBLIC_STATS)


# --- second factor -----------------------------------------------------------------


def totp_device_start(*, account: Account) -> TOTPDevice:
    """The unconfirmed device being set up (one at a time), created on first call."""
    device = account.totp_devices.filter(confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=account, name="TOTP", confirmed=False)
    return device


def totp_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def totp_disable(*, account: Account) -> None:
    TOTPDevice.objects.filter(user=account).delete()


def now() -> dt.datetime:
    return timezone.now()
