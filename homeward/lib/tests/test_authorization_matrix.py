"""Authorization matrix: every URL pattern × every role → the expected status.

A URL pattern that this file does not classify fails `test_every_url_is_classified`,
so every new view must be added here (PRIVACY.md rule 4). Each case runs as its own
test on a fresh database, so a POST by one role cannot change what the next sees.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import ROLES, signed_in_client

LOGIN = "login"  # marker: a redirect to the sign-in page


@dataclass
class Case:
    expected: dict[str, int | str]
    method: str = "get"
    kwargs: Callable[[dict], dict] = lambda objs: {}
    data: dict = field(default_factory=dict)


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status):
    return {**everyone(status), "visitor": LOGIN}


def managers_of_a(ok):
    """Chapter A's coordinator and admins may; other accounts get 403."""
    return {**signed_in(403), "coordinator": ok, "admin": ok}


def admins_only(ok):
    return {**signed_in(403), "admin": ok}


def owner_only(ok):
    """The member who recorded it; everyone else is told it does not exist."""
    return {**signed_in(404), "member": ok}


def writers(ok, others=403):
    """Coordinators (of any chapter) and admins write the channel."""
    return {**signed_in(others), "coordinator": ok, "other_coordinator": ok, "admin": ok}


PUBLIC_POST = lambda objs: {"pk": objs["public_post"].pk}  # noqa: E731
LOVED_ONE = lambda objs: {"pk": objs["loved_one"].pk}  # noqa: E731
SLUG_A = lambda objs: {"slug": objs["chapter_a"].slug}  # noqa: E731

MATRIX: dict[str, Case] = {
    "home": Case(everyone(200)),
    # accounts
    "accounts:signup": Case({**signed_in(302), "visitor": 200}),
    "accounts:recovery_codes_show": Case(signed_in(302)),
    "accounts:login": Case(everyone(200)),
    "accounts:login_otp": Case({**everyone(302), "coordinator": 200, "other_coordinator": 200, "admin": 200}),
    "accounts:logout": Case(everyone(405)),
    "accounts:recover": Case(everyone(200)),
    "accounts:language": Case(everyone(302)),
    "accounts:settings": Case(signed_in(200)),
    "accounts:passphrase_change": Case(signed_in(200)),
    "accounts:recovery_codes_regenerate": Case(signed_in(200)),
    "accounts:totp_setup": Case(signed_in(200)),
    "accounts:totp_disable": Case(signed_in(200)),
    "accounts:sign_out_everywhere": Case(signed_in(200)),
    "accounts:delete": Case(signed_in(200)),
    # chapters
    "chapters:list": Case(everyone(200)),
    "chapters:detail": Case(everyone(200), kwargs=SLUG_A),
    "chapters:join": Case(signed_in(405), kwargs=SLUG_A),
    "chapters:leave": Case(signed_in(405), kwargs=SLUG_A),
    "chapters:manage": Case(managers_of_a(200), kwargs=SLUG_A),
    "chapters:invite_create": Case(managers_of_a(400), method="post", kwargs=SLUG_A, data={"days": "x"}),
    "chapters:invite_revoke": Case(
        managers_of_a(302),
        method="post",
        kwargs=lambda objs: {"slug": objs["chapter_a"].slug, "invite_id": objs["invite"].pk},
    ),
    "chapters:promote": Case(managers_of_a(400), method="post", kwargs=SLUG_A, data={"handle": ""}),
    "chapters:demote": Case(
        managers_of_a(302),
        method="post",
        kwargs=lambda objs: {"slug": objs["chapter_a"].slug, "membership_id": objs["member_membership"].pk},
    ),
    "chapters:invite_accept": Case(everyone(200), kwargs=lambda objs: {"token": objs["invite_token"]}),
    "chapters:admin": Case(admins_only(200)),
    "chapters:admin_assign": Case(admins_only(400), method="post", data={"assign-handle": ""}),
    # audit
    "audit:log": Case(admins_only(200)),
    # notices
    "notices:list": Case(signed_in(200)),
    "notices:read": Case(signed_in(302), method="post"),
    # families: a loved one is seen by the member who recorded it and by nobody else
    "families:list": Case(signed_in(200)),
    "families:add": Case({**signed_in(200), "follower": 403, "admin": 403}),
    "families:detail": Case(owner_only(200), kwargs=LOVED_ONE),
    "families:edit": Case(owner_only(200), kwargs=LOVED_ONE),
    "families:status": Case(owner_only(400), method="post", kwargs=LOVED_ONE, data={"status": "nope"}),
    "families:delete": Case(owner_only(200), kwargs=LOVED_ONE),
    # public statistics
    "stats:page": Case(everyone(200)),
    "stats:json": Case(everyone(200)),
    "stats:csv": Case(everyone(200)),
    # channel: anyone reads public posts; coordinators and admins write
    "channel:list": Case(everyone(200)),
    "channel:rss": Case(everyone(200)),
    "channel:atom": Case(everyone(200)),
    "channel:post": Case(everyone(200), kwargs=PUBLIC_POST),
    "channel:media": Case(everyone(200), kwargs=lambda objs: {"media_id": objs["public_media"].pk}),
    "channel:new": Case(writers(200)),
    "channel:drafts": Case(writers(200)),
    "channel:followers": Case(writers(200)),
    "channel:follow": Case(signed_in(302), method="post", data={"follow": "1"}),
    "channel:edit": Case(writers(200, others=404), kwargs=PUBLIC_POST),
    "channel:delete": Case(writers(200, others=404), kwargs=PUBLIC_POST),
    "channel:pin": Case(writers(302, others=404), method="post", kwargs=PUBLIC_POST, data={"pinned": "1"}),
    "channel:publish": Case(writers(302, others=404), method="post", kwargs=lambda objs: {"pk": objs["draft"].pk}),
    # JSON API
    "api:api-root": Case(everyone(404)),
    "api:openapi-json": Case(everyone(200)),
    "api:stats": Case(everyone(200)),
    "api:loved_one_clock": Case(
        {**owner_only(200), "visitor": 401}, kwargs=lambda objs: {"loved_one_id": objs["loved_one"].pk}
    ),
}


def _app_matrices():
    """Apps may keep their part of the matrix in `<app>/tests/matrix.py`: a MATRIX dict of
    Cases and an optional `extra_objects(cast=, objs=) -> dict` for the objects they need."""
    import importlib

    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("homeward."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.matrix"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.matrix":
                raise
    return modules


APP_MATRICES = _app_matrices()
for _module in APP_MATRICES:
    _overlap = set(_module.MATRIX) & set(MATRIX)
    assert not _overlap, f"{_module.__name__} classifies URLs already classified: {_overlap}"
    MATRIX.update(_module.MATRIX)

# The Django admin: every pattern is behind the admin site's gate. Non-admins are sent
# to sign in; an admin with a verified second factor gets through (200, or 403/404
# where a model forbids the action, or 302 for a missing object).
ADMIN_NAMESPACE = "admin"


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield name, prefix + str(p.pattern)


ALL_PATTERNS = list(walk(get_resolver().url_patterns))


def test_every_url_is_classified():
    unclassified = [
        (name, route)
        for name, route in ALL_PATTERNS
        if not route.startswith("admin/")
        and (name is None or (name not in MATRIX and not name.startswith(f"{ADMIN_NAMESPACE}:")))
    ]
    assert unclassified == [], f"add these URL patterns to the authorization matrix: {unclassified}"


def test_matrix_has_no_stale_entries():
    names = {name for name, _ in ALL_PATTERNS}
    assert set(MATRIX) - names == set()


def _png():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return SimpleUploadedFile("x.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def objects(cast, chapter_a, chapter_b):
    from homeward.channel.services import post_create
    from homeward.chapters import services
    from homeward.chapters.models import Invite, Membership
    from homeward.families.services import loved_one_create
    from homeward.lib.uploads import clean_image

    token = services.invite_create(
        actor=cast["other_coordinator"], chapter=chapter_b, now=timezone.now(), days=3, max_uses=None
    )
    public_post = post_create(
        author=cast["coordinator"],
        body="Public",
        visibility="public",
        chapter=None,
        images=[clean_image(_png())],
        video=None,
        action="publish",
        publish_at=None,
        now=timezone.now(),
    )
    draft = post_create(
        author=cast["coordinator"],
        body="Draft",
        visibility="public",
        chapter=None,
        images=[],
        video=None,
        action="draft",
        publish_at=None,
        now=timezone.now(),
    )
    objs = {
        "public_post": public_post,
        "public_media": public_post.media.get(),
        "draft": draft,
        "chapter_a": chapter_a,
        "chapter_b": chapter_b,
        "invite": Invite.objects.create(
            chapter=chapter_a, token_hash="x" * 64, expires_at=timezone.now() + timezone.timedelta(days=1)
        ),
        "invite_token": token,
        "member_membership": Membership.objects.get(account=cast["member"], chapter=chapter_a),
        "loved_one": loved_one_create(
            owner=cast["member"],
            data={
                "relation": "husband",
                "mobilized_on": datetime.date(2022, 9, 23),
                "region": chapter_a.region,
                "status": "serving",
                "status_since": datetime.date(2022, 9, 23),
            },
        ),
    }
    for module in APP_MATRICES:
        if hasattr(module, "extra_objects"):
            objs.update(module.extra_objects(cast=cast, objs=objs))
    return objs


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
    else:
        assert response.status_code == expected, (response.status_code, expected)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, role, cast, objects):
    case = MATRIX[name]
    client = signed_in_client(cast[role])
    url = reverse(name, kwargs=case.kwargs(objects))
    response = getattr(client, case.method)(url, case.data)
    _check(response, case.expected[role])


ADMIN_PATTERNS = sorted({name for name, _ in ALL_PATTERNS if name and name.startswith(f"{ADMIN_NAMESPACE}:")})


def _admin_url(name):
    from django.urls import NoReverseMatch

    for kwargs in ({}, {"app_label": "chapters"}, {"object_id": "999999"}, {"content_type_id": 1, "object_id": 1}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    pytest.fail(f"cannot build a URL for {name}")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ADMIN_PATTERNS)
def test_admin_site_gate(name, role, cast):
    client = signed_in_client(cast[role])
    response = client.get(_admin_url(name))
    if name in {"admin:logout", "admin:login", "admin:view_on_site", "admin:autocomplete", "admin:jsi18n"}:
        # Not behind the gate by design of Django's admin; none of them shows data.
        assert response.status_code in {200, 302, 403, 404, 405}
        if name == "admin:login" and role != "admin":
            assert response["Location"].startswith(reverse("accounts:login"))
        return
    if role == "admin":
        assert response.status_code in {200, 302, 403, 404}
        if name == "admin:index":
            assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/admin/accounts/account/1/", "/admin/no/such/page/"])
def test_admin_unnamed_patterns_are_gated(path, role, cast):
    """The admin's unnamed patterns (object redirects, the catch-all) are behind the gate too."""
    response = signed_in_client(cast[role]).get(path)
    if role == "admin":
        assert response.status_code in {301, 302, 404}
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_powers_need_a_verified_second_factor(cast, chapter_a):
    """A coordinator signed in without confirming the code in this session is sent to confirm it."""
    client = signed_in_client(cast["coordinator"], verified=False)
    response = client.get(reverse("chapters:manage", args=[chapter_a.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login_otp"))


def test_coordinator_without_device_is_sent_to_set_one_up(cast, chapter_a):
    from homeward.accounts.models import TOTPDevice

    TOTPDevice.objects.filter(user=cast["coordinator"]).delete()
    client = signed_in_client(cast["coordinator"])
    response = client.get(reverse("chapters:manage", args=[chapter_a.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:totp_setup")
