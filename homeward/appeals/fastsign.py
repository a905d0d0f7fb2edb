"""Co-signing through a short middleware chain: the one request that must scale.

At a petition's peak nearly every request is the same one: a signed-in member posts the
co-sign form of one campaign. Through the whole chain it pays for every middleware —
sessions, CSRF, authentication, the second factor, preferences, messages — each with its
own bookkeeping, and on two cores that chain alone caps the site near the target rate.

`FastSignMiddleware` sits right after the middleware that only shape responses (security
headers, frame options, CSP, no-store: their headers land on its answer too) and before
the session middleware. For a POST that resolves to `appeals:sign` it runs the same checks,
in the same order, by calling the same code the skipped middleware and the view call:

    the host (ALLOWED_HOSTS) and the HTTPS redirect  →  CSRF (CsrfViewMiddleware itself)
    →  the session (the SessionStore, idle timeout included)  →  the account
    (django.contrib.auth.get_user: the session hash, is_active)  →  her language and
    time zone  →  the campaign and the permission rule  →  the form  →  the service

It answers only when every check passes on the plain case. Anything else goes on down the
full chain, untouched, which answers it exactly as it always has: no session or an
expired one, a session whose idle timeout is due to be written, a CSRF failure, a name
given for the letter, an htmx request, a closed campaign, a chapter campaign she may not
sign, a second factor in play, a database error. So this path never refuses anything: it
can only accept, only what the full chain would accept, with the same effect and the
same message (tests run every case through both chains and compare).
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts.middleware import activate_preferences
from homeward.lib.permissions import require

_REJECTED = object()


class _QuietCsrf(CsrfViewMiddleware):
    """Django's CSRF check, answering "no" without logging: a refusal here only means the
    request goes on to the real CsrfViewMiddleware, which refuses and logs it once."""

    def _reject(self, request, reason):
        return _REJECTED


class FastSignMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = _QuietCsrf(get_response)
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        if request.method == "POST" and request.path_info.endswith("/sign/"):
            response = self._try(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _try(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name != "appeals:sign" or request.headers.get("HX-Request"):
            return None
        try:
            request.get_host()  # ALLOWED_HOSTS, as CommonMiddleware asks
        except DisallowedHost:
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # SecurityMiddleware redirects it
        # The full chain checks a kept database connection with a round trip before its
        # first query (CONN_HEALTH_CHECKS). Here the first query is the check: if any query
        # fails, the connection is closed and the request goes down the full chain, which
        # opens a new one.
        connection.health_check_done = True
        try:
            return self._sign(request, match)
        except DatabaseError:
            if not connection.in_atomic_block:
                connection.close()
            return self._forget(request)
        except (Http404, PermissionDenied):
            return self._forget(request)  # the full chain answers 404 or 403 as it does

    def _sign(self, request, match):
        from homeward.appeals import forms, selectors, services

        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not key:
            return None
        self.csrf.process_request(request)
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or self.csrf.process_view(
            request, match.func, match.args, match.kwargs
        ):
            return self._forget(request)
        request.session = session = self.session_store(key)
        request.user = user = get_user(request)
        if not user.is_authenticated or not session.fresh or session.modified or session.session_key is None:
            return self._forget(request)  # signed out, or her idle timeout is due to be written
        language = activate_preferences(request)
        pk = match.kwargs["pk"]
        campaign = selectors.get_campaign_for_signing(pk)
        require(request, "appeals.sign", campaign)
        form = forms.SignForm(request.POST)
        if not form.is_valid() or form.cleaned_data["full_name"]:
            return self._forget(request)
        try:
            result = services.signature_sign(campaign=campaign, account=user, today=timezone.localdate())
        except services.CampaignClosed:
            return self._forget(request)
        # From here on the signature is written: answer, whatever else happens.
        request.fast_signed = True
        request._messages = storage = CookieStorage(request)
        if result.signed:
            messages.success(request, _("You have co-signed the letter. Thank you."))
        else:
            messages.info(request, _("You had already co-signed this letter; your signature counts once."))
        response = HttpResponseRedirect(reverse("appeals:detail", args=[pk]))
        storage.update(response)
        response.headers["Content-Language"] = language
        response.headers["Content-Length"] = "0"
        return response

    @staticmethod
    def _forget(request):
        """Leave the request as the full chain expects to find it."""
        for name in ("session", "user", "_messages", "csrf_processing_done", "fast_signed"):
            request.__dict__.pop(name, None)
        for name in ("CSRF_COOKIE", "CSRF_COOKIE_NEEDS_UPDATE"):
            request.META.pop(name, None)
        return None
