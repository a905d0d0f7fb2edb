"""The short chain for co-signing (appeals/fastsign.py) answers exactly as the full chain.

Every case runs twice on the same data — once with FastSignMiddleware in place, once
without it — and the two answers must match: status, location, headers, the message
shown after the redirect, the signature and the counter, and the session's expiry. The
plain cases must be answered by the short chain; every other case must go on to the full
chain (the short chain only ever accepts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import ensure_reference_data, make_account, signed_in_client
from homeward.accounts.models import Account
from homeward.accounts.sessions import touch_interval
from homeward.appeals.models import Campaign, Signature
from homeward.appeals.tests.conftest import make_campaign

FAST = "homeward.appeals.fastsign.FastSignMiddleware"
SECRET = "a" * 16 + "B" * 16  # a CSRF secret: 32 letters and digits


pytestmark = pytest.mark.usefixtures("pages_in_english")


@dataclass(frozen=True)
class Outcome:
    status: int
    location: str
    headers: tuple
    cookies: tuple
    shown: tuple  # the messages the next page shows
    signatures: int
    counter: int
    name: str
    session_expiry_moved: bool


def _comparable(headers):
    """Header values as they can be compared: Expires is the moment of the answer (never
    cached), and django-csp writes its directives in no fixed order."""
    for name, value in headers.items():
        if name in {"Date", "Expires", "Set-Cookie"}:
            continue
        if name == "Content-Security-Policy":
            value = tuple(sorted(part.strip() for part in value.split(";")))
        yield name, value


def _run(settings, *, fast: bool, signer, campaign_pk, data, prepare, client_kwargs, extra):
    settings.MIDDLEWARE = (
        list(django_settings.MIDDLEWARE) if fast else [m for m in django_settings.MIDDLEWARE if m != FAST]
    )
    client = signed_in_client(signer, **client_kwargs) if signer is not None else Client(**client_kwargs)
    client.cookies[django_settings.CSRF_COOKIE_NAME] = SECRET
    key = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    key = key.value if key is not None else None
    # Her last request was a moment ago: the session is "fresh" (its expiry not due to be written).
    prepare()
    expiry = Session.objects.filter(pk=key).values_list("expire_date", flat=True).first()
    response = client.post(reverse("appeals:sign", args=[campaign_pk]), data, **extra)
    cookie = response.cookies.get("messages")
    storage = CookieStorage(response.wsgi_request)
    shown = storage._decode(cookie.value) if cookie is not None and cookie.value else []
    signature = Signature.objects.filter(campaign_id=campaign_pk, account_id=getattr(signer, "pk", None)).first()
    outcome = Outcome(
        status=response.status_code,
        location=response.headers.get("Location", ""),
        headers=tuple(sorted(_comparable(response.headers))),
        cookies=tuple(sorted(response.cookies)),
        shown=tuple((m.level, str(m.message)) for m in shown or []),
        signatures=Signature.objects.filter(campaign_id=campaign_pk).count(),
        counter=Campaign.objects.filter(pk=campaign_pk).values_list("signature_count", flat=True).first() or 0,
        name=signature.full_name if signature else "",
        session_expiry_moved=Session.objects.filter(pk=key).values_list("expire_date", flat=True).first() != expiry,
    )
    return outcome, bool(getattr(response.wsgi_request, "fast_signed", False))


def both(settings, signer, campaign_pk, *, data=None, prepare=lambda: None, client_kwargs=None, **extra):
    """The outcome with the short chain and without it (each on the same starting data);
    and whether the short chain answered."""
    results = []
    for fast in (True, False):
        with transaction.atomic():
            results.append(
                _run(
                    settings,
                    fast=fast,
                    signer=signer,
                    campaign_pk=campaign_pk,
                    data=data if data is not None else {"csrfmiddlewaretoken": SECRET},
                    prepare=prepare,
                    client_kwargs={"enforce_csrf_checks": True, **(client_kwargs or {})},
                    extra=extra,
                )
            )
            transaction.set_rollback(True)
    (fast_outcome, answered_fast), (full_outcome, answered_by_full) = results
    assert not answered_by_full
    fast_headers, full_headers = dict(fast_outcome.headers), dict(full_outcome.headers)
    assert {k: v for k, v in fast_headers.items() if full_headers.get(k) != v} == {
        k: v for k, v in full_headers.items() if fast_headers.get(k) != v
    }
    assert fast_outcome == full_outcome
    return fast_outcome, answered_fast


def test_a_plain_co_signature_is_answered_by_the_short_chain_as_by_the_full(cast, campaign, settings):
    outcome, fast = both(settings, cast["follower"], campaign.pk)

    assert fast
    assert outcome.status == 302 and outcome.location == reverse("appeals:detail", args=[campaign.pk])
    assert outcome.shown == ((25, "You have co-signed the letter. Thank you."),)
    assert outcome.signatures == outcome.counter == 1
    assert not outcome.session_expiry_moved
    assert dict(outcome.headers)["Cache-Control"].startswith("no-store")
    assert "Content-Security-Policy" in dict(outcome.headers)


def test_a_second_click_is_answered_by_the_short_chain_and_counts_once(cast, campaign, settings):
    from homeward.appeals import services

    services.signature_sign(campaign=campaign, account=cast["member"], today=timezone.localdate())
    outcome, fast = both(settings, cast["member"], campaign.pk)

    assert fast
    assert outcome.shown == ((20, "You had already co-signed this letter; your signature counts once."),)
    assert outcome.signatures == outcome.counter == 1


def test_her_language_is_the_messages_language(cast, campaign, settings):
    Account.objects.filter(pk=cast["follower"].pk).update(language="ru")
    cast["follower"].refresh_from_db()
    outcome, fast = both(settings, cast["follower"], campaign.pk)

    assert fast
    assert dict(outcome.headers)["Content-Language"] == "ru"
    assert outcome.shown[0][1] != "You have co-signed the letter. Thank you."  # the Russian text


def _stale(account):
    """Her last request was long enough ago that her idle timeout is due to be written."""

    def prepare():
        written = timezone.now() - touch_interval() - dt.timedelta(seconds=5)
        Session.objects.all().update(expire_date=written + dt.timedelta(seconds=django_settings.SESSION_COOKIE_AGE))

    return prepare


def _bump(account, **changes):
    return lambda: Account.objects.filter(pk=account.pk).update(**changes)


OTHERS = {
    # case: (signer role, how the data or the request differ, what the full chain answers)
    "stale session (its expiry is written)": ("follower", {"prepare": "stale"}, 302),
    "signed out everywhere (session hash)": ("follower", {"prepare": "generation"}, 302),
    "account deactivated": ("follower", {"prepare": "inactive"}, 302),
    "session row gone": ("follower", {"prepare": "no_session"}, 302),
    "no session at all": ("visitor", {}, 302),
    "wrong CSRF token": ("follower", {"data": {"csrfmiddlewaretoken": "b" * 32}}, 403),
    "no CSRF token": ("follower", {"data": {}}, 403),
    "foreign Origin": ("follower", {"extra": {"HTTP_ORIGIN": "https://evil.example"}}, 403),
    "host not allowed": ("follower", {"extra": {"HTTP_HOST": "evil.example"}}, 400),
    "a name for the letter": ("follower", {"data": {"csrfmiddlewaretoken": SECRET, "full_name": "Ветрова Анна"}}, 302),
    "a name too long": ("follower", {"data": {"csrfmiddlewaretoken": SECRET, "full_name": "Я" * 500}}, 400),
    "htmx": ("follower", {"extra": {"HTTP_HX_REQUEST": "true"}}, 200),
    "campaign closed": ("follower", {"prepare": "closed"}, 302),
    "campaign not yet open": ("follower", {"prepare": "not_open"}, 302),
    "chapter campaign, not her chapter": ("outsider", {"campaign": "chapter"}, 403),
    "no such campaign": ("follower", {"campaign": "missing"}, 404),
}


@pytest.mark.parametrize("case", sorted(OTHERS))
def test_every_other_case_goes_on_to_the_full_chain(case, cast, campaign, chapter_campaign, settings):
    role, how, status = OTHERS[case]
    signer = cast[role]
    prepare = {
        None: lambda: None,
        "stale": _stale(signer),
        "generation": lambda: Account.objects.filter(pk=signer.pk).update(
            session_generation=F("session_generation") + 1
        ),
        "inactive": lambda: Account.objects.filter(pk=signer.pk).update(is_active=False),
        "no_session": lambda: Session.objects.all().delete(),
        "closed": lambda: Campaign.objects.filter(pk=campaign.pk).update(closed=True),
        "not_open": lambda: Campaign.objects.filter(pk=campaign.pk).update(
            opens_on=timezone.localdate() + dt.timedelta(days=3)
        ),
    }[how.get("prepare")]
    pk = {None: campaign.pk, "chapter": chapter_campaign.pk, "missing": 10**9}[how.get("campaign")]

    outcome, fast = both(settings, signer, pk, data=how.get("data"), prepare=prepare, **how.get("extra", {}))

    assert not fast
    assert outcome.status == status


def test_the_stale_session_still_signs_and_moves_her_idle_timeout(cast, campaign, settings):
    outcome, fast = both(settings, cast["follower"], campaign.pk, prepare=_stale(cast["follower"]))

    assert not fast
    assert outcome.status == 302 and outcome.signatures == 1 and outcome.session_expiry_moved


def test_the_short_chain_reads_three_rows_and_writes_once(cast, campaign, settings):
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(cast["follower"])
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("appeals:sign", args=[campaign.pk]))

    assert response.wsgi_request.fast_signed
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # session, account, the campaign's narrow row, INSERT + UPDATE (one statement on PostgreSQL)
    assert len(statements) <= 5 if connection.vendor == "sqlite" else len(statements) == 4, statements


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="breaks a PostgreSQL connection under Django")
def test_a_broken_connection_sends_the_request_down_the_full_chain_which_signs():
    ensure_reference_data()
    campaign = make_campaign(actor=make_account("fs_admin", admin=True))
    client = signed_in_client(make_account("fs-signer"))
    client.get(reverse("appeals:detail", args=[campaign.pk]))  # the connection is open and kept
    assert connection.connection is not None
    connection.connection.close()  # the database went away behind Django's back

    response = client.post(reverse("appeals:sign", args=[campaign.pk]))

    assert response.status_code == 302
    assert not getattr(response.wsgi_request, "fast_signed", False)
    assert Campaign.objects.values_list("signature_count", flat=True).get(pk=campaign.pk) == 1
