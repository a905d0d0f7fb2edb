"""The idle timeout: enforced on the server, written at most once every SESSION_TOUCH_SECONDS."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_account, signed_in_client
from homeward.accounts.sessions import SessionStore, touch_interval


@pytest.fixture
def nadia(db):
    return make_account("nadia")


def _row(client) -> Session:
    return Session.objects.get(session_key=client.cookies["hw_session"].value)


def _set_expiry(client, when):
    Session.objects.filter(session_key=client.cookies["hw_session"].value).update(expire_date=when)


def _session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]


def test_a_request_soon_after_the_last_write_writes_nothing(nadia, settings):
    client = signed_in_client(nadia)
    before = _row(client).expire_date

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("accounts:settings")).status_code == 200

    assert _session_writes(ctx.captured_queries) == []
    assert _row(client).expire_date == before
    assert before > timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) - touch_interval()


def test_a_request_moves_an_older_expiry_forward_with_one_update(nadia, settings):
    client = signed_in_client(nadia)
    age = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    _set_expiry(client, timezone.now() + age - touch_interval() - dt.timedelta(seconds=5))

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("accounts:settings")).status_code == 200

    assert len(_session_writes(ctx.captured_queries)) == 1
    assert abs(_row(client).expire_date - (timezone.now() + age)) < dt.timedelta(seconds=30)


def test_an_idle_session_ends_on_the_server(nadia):
    client = signed_in_client(nadia)
    _set_expiry(client, timezone.now() - dt.timedelta(seconds=1))

    response = client.get(reverse("accounts:settings"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_sign_out_everywhere_ends_a_fresh_session_that_is_not_written(nadia):
    here, elsewhere = signed_in_client(nadia), signed_in_client(nadia)
    assert elsewhere.get(reverse("accounts:settings")).status_code == 200

    here.post(reverse("accounts:sign_out_everywhere"))

    assert elsewhere.get(reverse("accounts:settings")).status_code == 302


def test_changed_data_is_saved_as_before(nadia):
    client = signed_in_client(nadia)
    session = client.session
    session["note"] = "kept"
    session.save()

    client.get(reverse("accounts:settings"))

    assert client.session["note"] == "kept"


def test_a_session_deleted_meanwhile_is_not_brought_back(nadia, settings):
    client = signed_in_client(nadia)
    key = client.cookies["hw_session"].value
    _set_expiry(client, timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) - 2 * touch_interval())
    store = SessionStore(key)
    store._get_session()  # read while it was still there, not fresh
    Session.objects.filter(session_key=key).delete()  # signed out in another tab

    store.touch()

    assert not Session.objects.filter(session_key=key).exists()


def test_the_touch_interval_is_never_more_than_half_the_idle_timeout(settings):
    settings.SESSION_COOKIE_AGE = 60
    settings.SESSION_TOUCH_SECONDS = 600
    assert touch_interval() == dt.timedelta(seconds=30)
