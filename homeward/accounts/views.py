"""Account pages: thin views over accounts.services (post/redirect/get)."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from homeward.accounts import forms, passphrases, services
from homeward.accounts.models import Account, TOTPDevice
from homeward.lib.htmx import is_htmx

SESSION_NEW_CODES = "new_recovery_codes"
SESSION_PENDING = "pending_second_factor"
PENDING_SECONDS = 300


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: redirect() would try any other word as a URL name (and fail).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _locked_message(locked_until):
    when = formats.time_format(timezone.localtime(locked_until), "H:i")
    return _("Too many failed attempts for this handle. Try again after %(time)s.") % {"time": when}


def signup(request):
    if request.GET.get("suggest") and is_htmx(request):
        return render(request, "accounts/_suggestion.html", {"suggestion": passphrases.suggest()})
    if request.user.is_authenticated:
        return redirect("home")
    form = forms.SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account, codes = services.account_create(
                handle=form.cleaned_data["handle"],
                passphrase=form.cleaned_data["passphrase"],
                language=getattr(request, "LANGUAGE_CODE", "ru"),
            )
        except services.HandleTaken:
            form.add_error("handle", _("This handle is taken. Please choose another."))
        else:
            login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_NEW_CODES] = codes
            return redirect("accounts:recovery_codes_show")
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "suggestion": passphrases.suggest(), "words": passphrases.SUGGESTED_WORDS},
    )


@login_required
def recovery_codes_show(request):
    """Shows freshly made recovery codes exactly once, then forgets them."""
    codes = request.session.pop(SESSION_NEW_CODES, None)
    if not codes:
        messages.info(request, _("Recovery codes are shown only once. You can make new ones in settings."))
        return redirect("accounts:settings")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


def signin(request):
    form = forms.SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = services.sign_in_check(
            request=request,
            handle=form.cleaned_data["handle"],
            passphrase=form.cleaned_data["passphrase"],
            now=timezone.now(),
        )
        if result.account is None:
            if result.locked_until:
                form.add_error(None, _locked_message(result.locked_until))
            else:
                form.add_error(None, _("This handle and passphrase do not match an account."))
        elif result.account.has_totp:
            request.session[SESSION_PENDING] = {
                "pk": result.account.pk,
                "until": timezone.now().timestamp() + PENDING_SECONDS,
                "next": _safe_next(request),
            }
            return redirect("accounts:login_otp")
        else:
            login(request, result.account, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_safe_next(request))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def signin_second_factor(request):
    """Second step of sign-in, or re-confirming the second factor for powers."""
    pending = request.session.get(SESSION_PENDING)
    if request.user.is_authenticated:
        account = request.user
        next_url = _safe_next(request)
    elif pending and pending.get("until", 0) > timezone.now().timestamp():
        account = Account.objects.filter(pk=pending["pk"], is_active=True).first()
        next_url = pending.get("next") or reverse("home")
    else:
        request.session.pop(SESSION_PENDING, None)
        return redirect("accounts:login")
    device = TOTPDevice.objects.filter(user=account, confirmed=True).first() if account else None
    if device is None:
        return redirect("accounts:login")
    form = forms.TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            request.session.pop(SESSION_PENDING, None)
            if not request.user.is_authenticated:
                login(request, account, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(next_url)
        form.add_error("token", _("This code is not right, or it has expired. Codes change every 30 seconds."))
    return render(request, "accounts/login_otp.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def signout(request):
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("home")


def recover(request):
    form = forms.RecoverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = services.account_recover(
            handle=form.cleaned_data["handle"],
            code=form.cleaned_data["code"],
            new_passphrase=form.cleaned_data["passphrase"],
            now=timezone.now(),
        )
        if result.account is None:
            if result.locked_until:
                form.add_error(None, _locked_message(result.locked_until))
            else:
                form.add_error("code", _("This recovery code does not match this handle, or it was already used."))
        else:
            logout(request)
            messages.success(
                request, _("Your new passphrase is set and that recovery code is used up. Please sign in.")
            )
            return redirect("accounts:login")
    return render(request, "accounts/recover.html", {"form": form})


@require_http_methods(["GET", "POST"])
def language(request):
    """Switch language: stored on the account when signed in (POST), in a cookie otherwise.

    Visitors switch with a plain link (GET), so public pages need no CSRF token; a
    signed-in account changes only with a POST.
    """
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_safe_next(request))
    code = (request.POST if request.method == "POST" else request.GET).get("language", "")
    response = redirect(_safe_next(request))
    if code not in {c for c, _ in settings.LANGUAGES}:
        return response
    if request.user.is_authenticated:
        services.preferences_update(account=request.user, language=code, time_zone=request.user.time_zone)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        samesite="Lax",
        secure=settings.HTTPS,
        httponly=True,
    )
    return response


# --- settings ----------------------------------------------------------------------


@login_required
def settings_page(request):
    account = request.user
    form = forms.PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"language": account.language, "time_zone": account.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_update(account=account, **form.cleaned_data)
        messages.success(request, _("Settings saved."))
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {"form": form, "has_totp": account.has_totp, "codes_left": account.recovery_codes.count()},
    )


@login_required
def passphrase_change(request):
    form = forms.ChangePassphraseForm(request.POST if request.method == "POST" else None, account=request.user)
    if request.method == "POST" and form.is_valid():
        services.passphrase_change(account=request.user, new_passphrase=form.cleaned_data["passphrase"])
        # Keep this session; the others die with the old passphrase hash.
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your passphrase is changed. Other sessions are signed out."))
        return redirect("accounts:settings")
    return render(request, "accounts/passphrase_change.html", {"form": form, "suggestion": passphrases.suggest()})


@login_required
def recovery_codes_regenerate(request):
    form = forms.ConfirmPassphraseForm(request.POST if request.method == "POST" else None, account=request.user)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_NEW_CODES] = services.recovery_codes_generate(account=request.user)
        return redirect("accounts:recovery_codes_show")
    return render(request, "accounts/recovery_codes_regenerate.html", {"form": form})


@login_required
def totp_setup(request):
    account = request.user
    if account.has_totp and request.method == "GET":
        return render(request, "accounts/totp_on.html", {"verified": request.user.is_verified()})
    device = services.totp_device_start(account=account)
    form = forms.TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Second factor is on. You will be asked for a code when you sign in."))
            return redirect("accounts:settings")
        form.add_error("token", _("This code is not right, or it has expired. Codes change every 30 seconds."))
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "secret": device.secret_b32(), "qr_svg": _qr_svg(device.config_url())},
    )


def _qr_svg(text: str) -> str:
    # Inline SVG without style attributes keeps the CSP strict.
    return segno.make(text, error="m").svg_inline(scale=4, dark="#111", light="#fff", omitsize=False)


@login_required
def totp_disable(request):
    form = forms.ConfirmPassphraseForm(request.POST if request.method == "POST" else None, account=request.user)
    if request.method == "POST" and form.is_valid():
        services.totp_disable(account=request.user)
        messages.success(request, _("Second factor is off."))
        return redirect("accounts:settings")
    return render(request, "accounts/totp_disable.html", {"form": form})


@login_required
def sign_out_everywhere(request):
    if request.method == "POST":
        services.sign_out_everywhere(account=request.user)
        logout(request)
        messages.success(request, _("You are signed out on every device."))
        return redirect("accounts:login")
    return render(request, "accounts/sign_out_everywhere.html")


@login_required
def account_delete(request):
    form = forms.DeleteAccountForm(request.POST if request.method == "POST" else None, account=request.user)
    if request.method == "POST" and form.is_valid():
        account = request.user
        logout(request)
        services.account_delete(account=account)
        messages.success(request, _("Your account and everything of yours are deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
