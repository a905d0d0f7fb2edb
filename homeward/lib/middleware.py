"""Security headers and caching rules that apply to every response."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from homeward.lib.permissions import SecondFactorRequired


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy (Django sets the rest)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in account are never stored by a browser or a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0, private"
        patch_vary_headers(response, ["Cookie"])
        return response


class SecondFactorRequiredMiddleware:
    """Coordinator and admin powers need a verified second factor: send them to set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, SecondFactorRequired):
            messages.warning(
                request,
                _("Coordinators and admins must confirm a second factor before using these powers."),
            )
            if request.user.is_authenticated and request.user.has_totp:
                return redirect(f"{reverse('accounts:login_otp')}?next={quote(request.get_full_path())}")
            return redirect("accounts:totp_setup")
        return None
