"""Chapters (региональные отделения): joining, invites, coordinators, and counts that never single anyone out."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_account, signed_in_client
from homeward.audit.models import AuditEntry
from homeward.chapters import services
from homeward.chapters.models import Chapter, Invite, Membership, Region

NEW_INVITE_RE = re.compile(r'<code class="wrap" id="new-invite">http://testserver/invite/([^/<]+)/</code>')


pytestmark = pytest.mark.usefixtures("pages_in_english")


def manage_url(chapter, name="manage", **kwargs):
    return reverse(f"chapters:{name}", kwargs={"slug": chapter.slug, **kwargs})


def roles_in(chapter):
    return dict(Membership.objects.filter(chapter=chapter).values_list("account__handle", "role"))


def make_invite_link(client, chapter, **data) -> str:
    """A coordinator makes an invite link through the manage page; returns its token."""
    form = {"days": "7", "single_use": "on", **data}
    response = client.post(manage_url(chapter, "invite_create"), form, follow=True)
    assert response.status_code == 200
    return NEW_INVITE_RE.search(response.content.decode()).group(1)


# --- joining ------------------------------------------------------------------------


def test_joining_an_open_chapter_without_javascript_redirects_to_it(cast, client_for, chapter_a):
    response = client_for("follower").post(reverse("chapters:join", args=[chapter_a.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("chapters:detail", args=[chapter_a.slug])
    assert roles_in(chapter_a)["follower"] == "member"


def test_joining_with_htmx_returns_only_the_membership_partial(cast, client_for, chapter_a):
    response = client_for("follower").post(
        reverse("chapters:join", args=[chapter_a.slug]), headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="membership"')
    assert "<html" not in body
    assert "You are a member of this chapter." in body
    assert "Leave the chapter" in body
    assert roles_in(chapter_a)["follower"] == "member"


def test_leaving_with_htmx_offers_to_join_again(cast, client_for, chapter_a):
    response = client_for("member").post(
        reverse("chapters:leave", args=[chapter_a.slug]), headers={"HX-Request": "true"}
    )

    body = response.content.decode()
    assert 'id="membership"' in body
    assert "Join the chapter" in body
    assert "member" not in roles_in(chapter_a)


def test_an_invite_only_chapter_cannot_be_joined_without_an_invite(cast, client_for, chapter_b):
    response = client_for("follower").post(reverse("chapters:join", args=[chapter_b.slug]))

    assert response.status_code == 403
    assert "follower" not in roles_in(chapter_b)


def test_an_invite_only_chapter_page_explains_how_to_get_in(cast, client_for, chapter_b):
    body = client_for("follower").get(reverse("chapters:detail", args=[chapter_b.slug])).content.decode()

    assert "This chapter admits members by invitation." in body
    assert "Join the chapter" not in body


# --- invites ------------------------------------------------------------------------


def test_a_single_use_invite_admits_exactly_one_account(cast, client_for, chapter_b):
    token = make_invite_link(client_for("other_coordinator"), chapter_b)

    first = client_for("follower").post(reverse("chapters:invite_accept", args=[token]))
    second = client_for("member").post(reverse("chapters:invite_accept", args=[token]))

    assert first.status_code == 302
    assert first["Location"] == reverse("chapters:detail", args=[chapter_b.slug])
    assert second.status_code == 404
    assert "This invitation does not work" in second.content.decode()
    assert roles_in(chapter_b) == {"outsider": "member", "other_coord": "coordinator", "follower": "member"}
    assert Invite.objects.get(chapter=chapter_b).uses == 1


def test_two_people_racing_on_a_single_use_link_admit_only_one(cast, chapter_b):
    """Both saw a usable link; the atomic increment lets only the first one in."""
    token = services.invite_create(
        actor=cast["other_coordinator"], chapter=chapter_b, now=timezone.now(), days=3, max_uses=1
    )
    seen_by_both = services.invite_find(token=token)
    assert seen_by_both.is_usable(timezone.now())

    services.invite_accept(account=cast["follower"], token=token, now=timezone.now())
    with pytest.raises(services.InviteUnusable):
        services.invite_accept(account=cast["member"], token=token, now=timezone.now())

    assert "member" not in roles_in(chapter_b)
    assert Invite.objects.get(pk=seen_by_both.pk).uses == 1


def test_an_invite_for_several_people_admits_that_many(cast, client_for, chapter_b):
    token = make_invite_link(client_for("other_coordinator"), chapter_b, single_use="", max_uses="2")
    guests = [make_account(f"guest{n}") for n in range(3)]

    statuses = [signed_in_client(g).post(reverse("chapters:invite_accept", args=[token])).status_code for g in guests]

    assert statuses == [302, 302, 404]
    assert {"guest0", "guest1"} <= set(roles_in(chapter_b))
    assert "guest2" not in roles_in(chapter_b)


def test_only_a_hash_of_the_invite_token_is_stored(cast, client_for, chapter_b):
    token = make_invite_link(client_for("other_coordinator"), chapter_b)

    invite = Invite.objects.get(chapter=chapter_b)
    assert token not in invite.token_hash
    assert services.invite_find(token=token) == invite


def test_a_visitor_with_an_invite_is_asked_to_sign_up_first(cast, client_for, chapter_b):
    token = make_invite_link(client_for("other_coordinator"), chapter_b)

    response = Client().get(reverse("chapters:invite_accept", args=[token]))

    assert response.status_code == 200
    assert "Sign up or sign in first, then come back to this link." in response.content.decode()
    assert Invite.objects.get(chapter=chapter_b).uses == 0


def test_an_expired_invite_shows_the_not_working_page(cast, client_for, chapter_b):
    long_ago = timezone.now() - dt.timedelta(days=10)
    token = services.invite_create(actor=cast["other_coordinator"], chapter=chapter_b, now=long_ago, days=1, max_uses=1)
    follower = client_for("follower")

    seen = follower.get(reverse("chapters:invite_accept", args=[token]))
    tried = follower.post(reverse("chapters:invite_accept", args=[token]))

    assert seen.status_code == 404
    assert "This invitation does not work" in seen.content.decode()
    assert tried.status_code == 404
    assert "follower" not in roles_in(chapter_b)


def test_a_revoked_invite_shows_the_not_working_page(cast, client_for, chapter_b):
    coordinator = client_for("other_coordinator")
    token = make_invite_link(coordinator, chapter_b)
    invite = Invite.objects.get(chapter=chapter_b)

    revoked = coordinator.post(manage_url(chapter_b, "invite_revoke", invite_id=invite.pk))
    response = client_for("follower").post(reverse("chapters:invite_accept", args=[token]))

    assert revoked.status_code == 302
    assert response.status_code == 404
    assert "This invitation does not work" in response.content.decode()
    assert "follower" not in roles_in(chapter_b)


def test_an_unknown_invite_token_shows_the_not_working_page(cast, client_for):
    response = client_for("follower").get(reverse("chapters:invite_accept", args=["no-such-token"]))

    assert response.status_code == 404
    assert "This invitation does not work" in response.content.decode()


def test_making_and_revoking_invites_is_audited(cast, client_for, chapter_b):
    coordinator = client_for("other_coordinator")
    make_invite_link(coordinator, chapter_b, label="for the Saturday picket")
    invite = Invite.objects.get(chapter=chapter_b)

    coordinator.post(manage_url(chapter_b, "invite_revoke", invite_id=invite.pk))

    entries = list(AuditEntry.objects.order_by("id").values_list("actor__handle", "action", "target"))
    assert entries == [("other_coord", "invite.create", "ru-spe"), ("other_coord", "invite.revoke", "ru-spe")]
    invite.refresh_from_db()
    assert invite.revoked
    assert invite.label == "for the Saturday picket"


def test_the_new_invite_link_is_shown_only_once(cast, client_for, chapter_b):
    coordinator = client_for("other_coordinator")
    make_invite_link(coordinator, chapter_b)

    again = coordinator.get(manage_url(chapter_b)).content.decode()

    assert NEW_INVITE_RE.search(again) is None
    assert "No active invite links." not in again


def test_a_bad_invite_form_is_answered_with_the_form_and_its_errors(cast, client_for, chapter_b):
    response = client_for("other_coordinator").post(manage_url(chapter_b, "invite_create"), {"days": "365"})

    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not Invite.objects.exists()


# --- coordinators -------------------------------------------------------------------


def test_a_coordinator_promotes_a_member_of_her_chapter_by_handle(cast, client_for, chapter_a):
    response = client_for("coordinator").post(manage_url(chapter_a, "promote"), {"handle": "Member"})

    assert response.status_code == 302
    assert roles_in(chapter_a)["member"] == "coordinator"
    entry = AuditEntry.objects.get()
    assert (entry.actor_handle, entry.action, entry.target) == ("coordinator", "role.coordinator", "ru-mow:member")


def test_a_coordinator_cannot_promote_someone_outside_her_chapter(cast, client_for, chapter_a, chapter_b):
    response = client_for("coordinator").post(manage_url(chapter_a, "promote"), {"handle": "outsider"})

    assert response.status_code == 400
    assert "This account is not a member of this chapter." in response.content.decode()
    assert "outsider" not in roles_in(chapter_a)
    assert roles_in(chapter_b)["outsider"] == "member"
    assert not AuditEntry.objects.exists()


def test_promoting_an_unknown_handle_says_so(cast, client_for, chapter_a):
    response = client_for("coordinator").post(manage_url(chapter_a, "promote"), {"handle": "nobody_here"})

    assert response.status_code == 400
    assert "There is no account with this handle." in response.content.decode()


def test_a_coordinator_removes_coordinator_powers(cast, client_for, chapter_a):
    services.role_set(actor=cast["coordinator"], chapter=chapter_a, account=cast["member"], role="coordinator")
    membership = Membership.objects.get(account=cast["member"], chapter=chapter_a)

    response = client_for("coordinator").post(manage_url(chapter_a, "demote", membership_id=membership.pk))

    assert response.status_code == 302
    assert roles_in(chapter_a)["member"] == "member"
    assert AuditEntry.objects.filter(action="role.member", target="ru-mow:member").count() == 1


MANAGE_A_AS_ANOTHER = [
    ("get", "manage", {}, {}),
    ("post", "manage", {}, {"is_open": "", "description": "taken over"}),
    ("post", "invite_create", {}, {"days": "7", "single_use": "on"}),
    ("post", "promote", {}, {"handle": "other_coord"}),
]


@pytest.mark.parametrize(("method", "name", "kwargs", "data"), MANAGE_A_AS_ANOTHER)
def test_the_coordinator_of_another_chapter_cannot_manage_this_one(
    cast, client_for, chapter_a, method, name, kwargs, data
):
    response = getattr(client_for("other_coordinator"), method)(manage_url(chapter_a, name, **kwargs), data)

    assert response.status_code == 403
    chapter_a.refresh_from_db()
    assert chapter_a.is_open
    assert chapter_a.description == ""
    assert not Invite.objects.filter(chapter=chapter_a).exists()
    assert roles_in(chapter_a) == {"member": "member", "coordinator": "coordinator"}
    assert not AuditEntry.objects.exists()


def test_the_coordinator_of_another_chapter_cannot_revoke_or_demote_here(cast, client_for, chapter_a):
    token = services.invite_create(actor=cast["coordinator"], chapter=chapter_a, now=timezone.now(), days=3, max_uses=1)
    invite = services.invite_find(token=token)
    coordinator_a = Membership.objects.get(account=cast["coordinator"], chapter=chapter_a)
    other = client_for("other_coordinator")

    revoke = other.post(manage_url(chapter_a, "invite_revoke", invite_id=invite.pk))
    demote = other.post(manage_url(chapter_a, "demote", membership_id=coordinator_a.pk))

    assert (revoke.status_code, demote.status_code) == (403, 403)
    invite.refresh_from_db()
    assert not invite.revoked
    assert roles_in(chapter_a)["coordinator"] == "coordinator"


def test_an_invite_of_this_chapter_cannot_be_revoked_through_another(cast, client_for, chapter_a, chapter_b):
    token = services.invite_create(actor=cast["coordinator"], chapter=chapter_a, now=timezone.now(), days=3, max_uses=1)
    invite = services.invite_find(token=token)

    response = client_for("other_coordinator").post(manage_url(chapter_b, "invite_revoke", invite_id=invite.pk))

    assert response.status_code == 404
    invite.refresh_from_db()
    assert not invite.revoked


def test_a_coordinator_changes_her_chapter_settings(cast, client_for, chapter_a):
    response = client_for("coordinator").post(
        manage_url(chapter_a), {"is_open": "", "description": "We meet on Saturdays."}
    )

    assert response.status_code == 302
    chapter_a.refresh_from_db()
    assert not chapter_a.is_open
    assert chapter_a.description == "We meet on Saturdays."
    assert AuditEntry.objects.filter(action="chapter.update", target="ru-mow").count() == 1


# --- admins -------------------------------------------------------------------------


def test_an_admin_creates_a_chapter(cast, client_for):
    region = Region.objects.get(code="RU-NVS")

    response = client_for("admin").post(
        reverse("chapters:admin"), {"create-region": region.pk, "create-is_open": "on", "create-description": "Hello"}
    )

    assert response.status_code == 302
    chapter = Chapter.objects.get(region=region)
    assert (chapter.slug, chapter.is_open, chapter.description) == ("ru-nvs", True, "Hello")
    assert AuditEntry.objects.filter(actor=cast["admin"], action="chapter.create", target="ru-nvs").count() == 1


def test_a_region_with_a_chapter_is_not_offered_again(cast, client_for, chapter_a):
    response = client_for("admin").post(reverse("chapters:admin"), {"create-region": chapter_a.region.pk})

    assert response.status_code == 400
    assert Chapter.objects.filter(region=chapter_a.region).count() == 1


def test_an_admin_makes_any_account_a_coordinator(cast, client_for, chapter_b):
    response = client_for("admin").post(
        reverse("chapters:admin_assign"), {"assign-handle": "follower", "assign-chapter": chapter_b.pk}
    )

    assert response.status_code == 302
    assert roles_in(chapter_b)["follower"] == "coordinator"
    assert AuditEntry.objects.filter(actor=cast["admin"], action="role.coordinator", target="ru-spe:follower").exists()


def test_a_coordinator_is_not_an_admin(cast, client_for, chapter_b):
    client = client_for("coordinator")

    created = client.post(reverse("chapters:admin"), {"create-region": Region.objects.get(code="RU-NVS").pk})
    assigned = client.post(
        reverse("chapters:admin_assign"), {"assign-handle": "follower", "assign-chapter": chapter_b.pk}
    )

    assert (created.status_code, assigned.status_code) == (403, 403)
    assert not Chapter.objects.filter(slug="ru-nvs").exists()
    assert "follower" not in roles_in(chapter_b)


# --- counts under k -----------------------------------------------------------------


def members_cell(body: str, chapter: Chapter) -> str:
    """The text of the "Members" cell in the chapter's row of the list page."""
    href = reverse("chapters:detail", args=[chapter.slug])
    row = re.search(r"<tr>\s*<td><a href=\"" + re.escape(href) + r"\">.*?</tr>", body, re.S).group(0)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    return re.sub(r"<[^>]+>", "", cells[2]).strip()


def add_members(chapter, n, prefix):
    for i in range(n):
        make_account(f"{prefix}{i}", chapter=chapter)


def test_a_small_chapter_shows_fewer_than_k_members(cast, client_for, chapter_a, settings):
    add_members(chapter_a, 5, "m")  # 7 with the member and the coordinator

    body = client_for("visitor").get(reverse("chapters:list")).content.decode()

    assert Membership.objects.filter(chapter=chapter_a).count() == 7
    assert members_cell(body, chapter_a) == f"fewer than {settings.K_ANONYMITY}"
    assert "7" not in members_cell(body, chapter_a)


def test_a_chapter_of_at_least_k_shows_its_count(cast, client_for, chapter_a, settings):
    add_members(chapter_a, settings.K_ANONYMITY + 1, "m")  # K + 3 members in all

    body = client_for("visitor").get(reverse("chapters:list")).content.decode()

    assert members_cell(body, chapter_a) == str(settings.K_ANONYMITY + 3)


def test_exactly_k_members_are_shown_as_a_count(cast, client_for, chapter_a, settings):
    add_members(chapter_a, settings.K_ANONYMITY - 2, "m")

    body = client_for("visitor").get(reverse("chapters:list")).content.decode()

    assert members_cell(body, chapter_a) == str(settings.K_ANONYMITY)


@pytest.mark.parametrize("role", ["visitor", "member", "coordinator"])
def test_the_chapter_page_hides_a_small_count(cast, client_for, chapter_a, settings, role):
    add_members(chapter_a, 5, "m")

    body = client_for(role).get(reverse("chapters:detail", args=[chapter_a.slug])).content.decode()

    members_line = re.search(r"<p>Members: ([^<]*)</p>", body).group(1).strip()
    assert members_line == f"fewer than {settings.K_ANONYMITY}"


def test_the_chapter_page_shows_a_count_of_at_least_k(cast, client_for, chapter_a, settings):
    add_members(chapter_a, settings.K_ANONYMITY, "m")

    body = client_for("visitor").get(reverse("chapters:detail", args=[chapter_a.slug])).content.decode()

    assert re.search(r"<p>Members: ([^<]*)</p>", body).group(1).strip() == str(settings.K_ANONYMITY + 2)


def test_the_chapter_list_does_not_run_a_query_per_chapter(cast, client_for, chapter_a, django_assert_max_num_queries):
    for region in Region.objects.exclude(chapter__isnull=False)[:8]:
        Chapter.objects.create(region=region, slug=region.code.lower())
    client = client_for("member")

    with django_assert_max_num_queries(8):
        response = client.get(reverse("chapters:list"))

    assert response.content.decode().count("<tr>") == 11  # header row + 10 chapters
