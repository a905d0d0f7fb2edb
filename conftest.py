"""Fixtures for the standard cast (PRIVACY.md, STYLE.md habit 8).

visitor, follower (account without chapter), member (chapter A, open), outsider
(member of chapter B, invite-only), coordinator (of A), other_coordinator (of B),
admin. Coordinators and admins have a confirmed TOTP device, and their clients carry
a session in which the second factor is verified.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

TEST_DATA_KEY = "q0N3bK2kT4z6f1l2m3n4o5p6q7r8s9t0u1v2w3x4y5A="
TEST_INDEX_KEY = "aW5kZXgta2V5LWZvci10ZXN0cy1vbmx5LTMyYnl0ZXM="
ROLES = ["visitor", "follower", "member", "outsider", "coordinator", "other_coordinator", "admin"]


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _test_settings(settings, _media_root):
    from homeward.lib import crypto

    # Fast hashing in tests; production uses argon2 (asserted in test_passphrases).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_KEY = TEST_DATA_KEY
    settings.DATA_OLD_KEYS = []
    settings.INDEX_KEY = TEST_INDEX_KEY
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.MEDIA_ROOT = str(_media_root)
    crypto.reset_keys()
    # Caches are keyed on version counters kept in the database; a test database
    # starts them again from zero, so a cache from an earlier test must not survive.
    from django.core.cache import cache

    from homeward.lib.versions import version_forget
    from homeward.questions.services import indexes_forget

    cache.clear()
    version_forget()
    indexes_forget()  # per-process similarity indexes: ids restart with the database
    yield
    crypto.reset_keys()


def make_account(handle, *, chapter=None, role="member", admin=False, totp=False):
    from homeward.accounts.models import Account, TOTPDevice
    from homeward.chapters.models import Membership

    account = Account.objects.create_user(handle, "a long test passphrase", is_admin=admin)
    if chapter is not None:
        Membership.objects.create(account=account, chapter=chapter, role=role)
    if totp:
        TOTPDevice.objects.create(user=account, name="TOTP", confirmed=True)
    return account


def ensure_reference_data():
    """Federal subjects and precedents come from data migrations; a transactional test's
    flush removes them, so tests that need them call this (cheap when present)."""
    from homeward.chapters.models import Region
    from homeward.chapters.reference import load_federal_subjects
    from homeward.families.models import Precedent
    from homeward.families.reference import seed_precedents

    if Region.objects.count() < 89:
        load_federal_subjects(Region)
    if not Precedent.objects.exists():
        seed_precedents(Precedent)


@pytest.fixture
def reference_data(db):
    ensure_reference_data()


@pytest.fixture
def chapter_a(reference_data):
    from homeward.chapters.models import Chapter, Region

    return Chapter.objects.create(region=Region.objects.get(code="RU-MOW"), slug="ru-mow", is_open=True)


@pytest.fixture
def chapter_b(reference_data):
    from homeward.chapters.models import Chapter, Region

    return Chapter.objects.create(region=Region.objects.get(code="RU-SPE"), slug="ru-spe", is_open=False)


def cast_in_english(cast):
    """The cast's accounts read pages in English, in the database and on the objects."""
    from homeward.accounts.models import Account

    accounts = [a for a in cast.values() if a is not None]
    Account.objects.filter(pk__in=[a.pk for a in accounts]).update(language="en")
    for account in accounts:
        account.language = "en"
    return cast


@pytest.fixture
def pages_in_english(request, settings):
    """Assertions read the English text; Russian, the real default, has its own tests.
    Use with `pytestmark = pytest.mark.usefixtures("pages_in_english")`; a test that uses
    the cast gets every account in English too."""
    from homeward.accounts.models import Account

    settings.LANGUAGE_CODE = "en"
    if "cast" in request.fixturenames:
        cast_in_english(request.getfixturevalue("cast"))
        Account.objects.update(language="en")


@pytest.fixture
def cast(db, chapter_a, chapter_b):
    """Every role's account (None for the visitor)."""
    return {
        "visitor": None,
        "follower": make_account("follower"),
        "member": make_account("member", chapter=chapter_a),
        "outsider": make_account("outsider", chapter=chapter_b),
        "coordinator": make_account("coordinator", chapter=chapter_a, role="coordinator", totp=True),
        "other_coordinator": make_account("other_coord", chapter=chapter_b, role="coordinator", totp=True),
        "admin": make_account("admin_anna", admin=True, totp=True),
    }


def signed_in_client(account, *, verified=True, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    if account is None:
        return client
    client.force_login(account, backend="django.contrib.auth.backends.ModelBackend")
    device = account.totp_devices.filter(confirmed=True).first()
    if device is not None and verified:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(cast):
    """client_for("member") → a Client signed in as that role."""
    return lambda role, **kw: signed_in_client(cast[role], **kw)
