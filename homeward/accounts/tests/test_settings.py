"""Settings: language and time zone, passphrase change, sign out everywhere, delete my account, no-store."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_account, signed_in_client
from homeward.accounts import services
from homeward.accounts.models import Account, RecoveryCode, TOTPDevice
from homeward.audit.models import AuditEntry
from homeward.chapters import services as chapter_services
from homeward.chapters.models import Chapter, Invite, Membership

OLD = "a long test passphrase"  # what conftest.make_account gives every account
NEW = "copper meadow whistle autumn"


pytestmark = pytest.mark.usefixtures("pages_in_english")


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


def is_signed_in(client) -> bool:
    return client.get(reverse("accounts:settings")).status_code == 200


# --- language and time zone ---------------------------------------------------------


def test_a_new_account_reads_russian_and_can_switch_to_english(db):
    client = signed_in_client(make_account("nadia"))
    assert html_lang(client.get(reverse("accounts:settings"))) == "ru"

    response = client.post(reverse("accounts:settings"), {"language": "en", "time_zone": "Europe/Moscow"})

    assert response.status_code == 302
    page = client.get(reverse("home"))
    assert html_lang(page) == "en"
    assert page["Content-Language"] == "en"
    assert Account.objects.get(handle="nadia").language == "en"


def test_error_messages_follow_the_account_language(db):
    client = signed_in_client(make_account("nadia"))
    russian = client.post(reverse("accounts:passphrase_change"), {"current": ""})
    client.post(reverse("accounts:settings"), {"language": "en", "time_zone": "Europe/Moscow"})

    english = client.post(reverse("accounts:passphrase_change"), {"current": ""})

    assert html_lang(russian) == "ru"
    assert "Обязательное поле." in russian.content.decode()
    assert html_lang(english) == "en"
    assert "This field is required." in english.content.decode()


def test_the_time_zone_changes_how_times_are_shown(cast, client_for, chapter_a):
    Invite.objects.create(
        chapter=chapter_a,
        token_hash="t" * 64,
        expires_at=dt.datetime(2099, 1, 1, 0, 0, tzinfo=dt.UTC),
        label="for the march",
    )
    Account.objects.filter(handle="coordinator").update(language="ru")  # dates as "дд.мм.гггг чч:мм"
    client = client_for("coordinator")
    manage = reverse("chapters:manage", args=[chapter_a.slug])
    in_moscow = client.get(manage).content.decode()

    client.post(reverse("accounts:settings"), {"language": "ru", "time_zone": "Asia/Vladivostok"})

    in_vladivostok = client.get(manage).content.decode()
    assert "01.01.2099 03:00" in in_moscow
    assert "01.01.2099 10:00" in in_vladivostok
    assert Account.objects.get(handle="coordinator").time_zone == "Asia/Vladivostok"
    assert re.search(
        r'<option value="Asia/Vladivostok" selected>', client.get(reverse("accounts:settings")).content.decode()
    )


def test_an_unknown_time_zone_is_refused_and_nothing_changes(cast, client_for):
    client = client_for("member")

    response = client.post(reverse("accounts:settings"), {"language": "ru", "time_zone": "Mars/Olympus_Mons"})

    assert response.status_code == 200
    assert "Select a valid choice. Mars/Olympus_Mons is not one of the available choices." in response.content.decode()
    member = Account.objects.get(handle="member")
    assert (member.language, member.time_zone) == ("en", "Europe/Moscow")


def test_a_visitor_reads_russian_until_she_switches_to_english(db, settings):
    import homeward.settings as production

    settings.LANGUAGE_CODE = production.LANGUAGE_CODE
    client = Client()
    assert html_lang(client.get(reverse("home"))) == "ru"

    response = client.post(reverse("accounts:language"), {"language": "en", "next": reverse("chapters:list")})

    assert response["Location"] == reverse("chapters:list")
    assert html_lang(client.get(reverse("home"))) == "en"


def test_switching_language_with_a_next_that_is_not_a_path_goes_home(db):
    response = Client().post(reverse("accounts:language"), {"language": "en", "next": "chapters"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


# --- passphrase ---------------------------------------------------------------------


def test_changing_the_passphrase_keeps_this_session_and_ends_the_others(cast):
    member = cast["member"]
    here = signed_in_client(member)
    elsewhere = signed_in_client(member)

    response = here.post(reverse("accounts:passphrase_change"), {"current": OLD, "passphrase": NEW, "passphrase2": NEW})

    assert response.status_code == 302
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    member.refresh_from_db()
    assert member.check_password(NEW)
    assert not member.check_password(OLD)


def test_the_passphrase_does_not_change_without_the_current_one(cast):
    member = cast["member"]
    here = signed_in_client(member)
    elsewhere = signed_in_client(member)

    response = here.post(
        reverse("accounts:passphrase_change"), {"current": "not it at all", "passphrase": NEW, "passphrase2": NEW}
    )

    assert response.status_code == 200
    assert "The current passphrase is not right." in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(OLD)
    assert is_signed_in(elsewhere)


def test_a_weak_new_passphrase_is_refused(cast, client_for):
    response = client_for("member").post(
        reverse("accounts:passphrase_change"), {"current": OLD, "passphrase": "short", "passphrase2": "short"}
    )

    assert "This passphrase is too short" in response.content.decode()
    assert Account.objects.get(handle="member").check_password(OLD)


# --- sign out everywhere ------------------------------------------------------------


def test_sign_out_everywhere_ends_every_session_this_one_included(cast):
    member = cast["member"]
    here = signed_in_client(member)
    elsewhere = signed_in_client(member)
    assert is_signed_in(here) and is_signed_in(elsewhere)

    response = here.post(reverse("accounts:sign_out_everywhere"))

    assert response.status_code == 302
    assert not is_signed_in(here)
    assert not is_signed_in(elsewhere)
    member.refresh_from_db()
    assert member.session_generation == 1
    # The passphrase still works: a fresh sign-in gets a fresh session.
    again = Client()
    again.post(reverse("accounts:login"), {"handle": "member", "passphrase": OLD})
    assert is_signed_in(again)


def test_sign_out_everywhere_leaves_other_accounts_alone(cast, client_for):
    follower = client_for("follower")

    client_for("member").post(reverse("accounts:sign_out_everywhere"))

    assert is_signed_in(follower)


# --- delete my account --------------------------------------------------------------


@pytest.fixture
def coordinator_with_history(cast, chapter_a):
    """The coordinator of A with every kind of record: memberships, codes, a device, audit entries."""
    coordinator = cast["coordinator"]
    Membership.objects.create(account=coordinator, chapter=Chapter.objects.get(slug="ru-spe"))
    services.recovery_codes_generate(account=coordinator)
    chapter_services.invite_create(actor=coordinator, chapter=chapter_a, now=timezone.now(), days=3, max_uses=1)
    return coordinator


def test_deleting_the_account_removes_everything_of_hers(coordinator_with_history):
    coordinator = coordinator_with_history
    pk = coordinator.pk
    assert Membership.objects.filter(account_id=pk).count() == 2
    assert RecoveryCode.objects.filter(account_id=pk).count() == 10
    assert TOTPDevice.objects.filter(user_id=pk).count() == 1
    assert AuditEntry.objects.filter(actor_id=pk).count() == 1
    client = signed_in_client(coordinator)

    response = client.post(reverse("accounts:delete"), {"current": OLD, "confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert not Account.objects.filter(pk=pk).exists()
    assert not Account.objects.filter(handle__iexact="coordinator").exists()
    assert not Membership.objects.filter(account_id=pk).exists()
    assert not RecoveryCode.objects.filter(account_id=pk).exists()
    assert not TOTPDevice.objects.filter(user_id=pk).exists()
    entry = AuditEntry.objects.get(action="invite.create")
    assert entry.actor is None
    assert Invite.objects.get().created_by is None
    assert not is_signed_in(client)
    assert "Sign in" in client.get(reverse("home")).content.decode()


def test_deleting_the_account_ends_her_other_sessions(cast):
    member = cast["member"]
    here = signed_in_client(member)
    elsewhere = signed_in_client(member)

    here.post(reverse("accounts:delete"), {"current": OLD, "confirm": "on"})

    assert not is_signed_in(elsewhere)


def test_the_account_is_not_deleted_without_the_passphrase(coordinator_with_history):
    client = signed_in_client(coordinator_with_history)

    response = client.post(reverse("accounts:delete"), {"current": "not it at all", "confirm": "on"})

    assert response.status_code == 200
    assert "The current passphrase is not right." in response.content.decode()
    assert Account.objects.filter(pk=coordinator_with_history.pk).exists()
    assert RecoveryCode.objects.filter(account=coordinator_with_history).count() == 10
    assert is_signed_in(client)


def test_the_account_is_not_deleted_without_ticking_the_box(cast, client_for):
    response = client_for("member").post(reverse("accounts:delete"), {"current": OLD})

    assert response.status_code == 200
    assert Account.objects.filter(handle="member").exists()


def test_deleting_one_account_leaves_the_others(cast, client_for):
    client_for("member").post(reverse("accounts:delete"), {"current": OLD, "confirm": "on"})

    assert set(Account.objects.values_list("handle", flat=True)) == {
        "follower",
        "outsider",
        "coordinator",
        "other_coord",
        "admin_anna",
    }
    assert Membership.objects.count() == 3


# --- no-store on every signed-in page -----------------------------------------------

SIGNED_IN_PAGES = [
    ("member", "home", {}),
    ("member", "chapters:list", {}),
    ("member", "chapters:detail", {"slug": "ru-mow"}),
    ("member", "accounts:settings", {}),
    ("member", "accounts:passphrase_change", {}),
    ("member", "accounts:recovery_codes_regenerate", {}),
    ("member", "accounts:recovery_codes_show", {}),
    ("member", "accounts:totp_setup", {}),
    ("member", "accounts:totp_disable", {}),
    ("member", "accounts:sign_out_everywhere", {}),
    ("member", "accounts:delete", {}),
    ("member", "accounts:login", {}),
    ("coordinator", "chapters:manage", {"slug": "ru-mow"}),
    ("coordinator", "accounts:login_otp", {}),
    ("other_coordinator", "chapters:manage", {"slug": "ru-mow"}),
    ("admin", "chapters:admin", {}),
    ("admin", "audit:log", {}),
    ("admin", "admin:index", {}),
]


@pytest.mark.parametrize(("role", "name", "kwargs"), SIGNED_IN_PAGES)
def test_every_signed_in_page_is_marked_no_store(cast, client_for, role, name, kwargs):
    response = client_for(role).get(reverse(name, kwargs=kwargs))

    assert response.status_code in {200, 302, 403}
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_page_left_after_signing_in_is_marked_no_store(cast):
    client = Client()
    response = client.post(reverse("accounts:login"), {"handle": "member", "passphrase": OLD}, follow=True)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
