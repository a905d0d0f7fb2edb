"""The channel in a real browser, with JavaScript on and off: a coordinator publishes,
readers see what their role allows, a member follows, and the feed loads."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from conftest import make_account
from e2e.conftest import TEST_PASSPHRASE, totp_code
from homeward.channel.models import Follow, Post, PostMedia

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_BODY = "## Вернуть домой\n\nМы требуем **ротации** и *срока службы*.\n\n- первое\n- второе"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Visitors' pages are cached in this process, keyed by a version counter that the
    database flush between tests resets: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def small_png(tmp_path):
    from PIL import Image

    path = tmp_path / "rally.png"
    Image.new("RGB", (48, 32), (200, 40, 40)).save(path, format="PNG")
    return path


def sign_in_with_code(web, account) -> None:
    web.sign_in(account.handle, TEST_PASSPHRASE)
    assert web.path() == "/login/code/"
    assert not web.signed_in()
    device = account.totp_devices.get(confirmed=True)
    web.page.locator("input[name=token]").fill(totp_code(base64.b32encode(device.bin_key).decode()))
    web.submit()
    assert web.path() == "/"
    assert web.signed_in()


def new_post(web, body: str, visibility: str, *, chapter=None, image=None) -> int:
    page = web.page
    web.go("/channel/new/")
    form = page.locator("main form[method=post]")
    form.locator("textarea[name=body]").fill(body)
    form.locator("select[name=visibility]").select_option(value=visibility)
    if chapter is not None:
        form.locator("select[name=chapter]").select_option(value=str(chapter.pk))
    if image is not None:
        form.locator("input[name=images]").set_input_files(str(image))
    form.locator("input[name=action][value=publish]").check()
    web.submit(form.locator("button[type=submit]"))
    match = re.fullmatch(r"/channel/(\d+)/", web.path())
    assert match, f"publishing led to {web.path()}"
    return int(match.group(1))


def shown_posts(web) -> set[int]:
    """The ids of the posts on the page (read through the locator API: works without JavaScript)."""
    articles = web.page.locator("main article.post")
    return {int(articles.nth(i).get_attribute("id").removeprefix("post-")) for i in range(articles.count())}


def test_channel_posts_readers_follow_and_feed(web, chapter_a, chapter_b, tmp_path):
    page = web.page
    coordinator = make_account("coord_mow", chapter=chapter_a, role="coordinator", totp=True)
    member_mow = make_account("member_mow", chapter=chapter_a)
    member_spe = make_account("member_spe", chapter=chapter_b)

    # The coordinator signs in with the second factor and publishes three posts.
    sign_in_with_code(web, coordinator)
    public_id = new_post(web, PUBLIC_BODY, "public", image=small_png(tmp_path))
    body = page.locator(f"#post-{public_id} .post-body")
    expect(body.locator("h2")).to_have_count(1)
    expect(body.locator("strong")).to_have_count(1)
    expect(body.locator("em")).to_have_count(1)
    expect(body.locator("ul li")).to_have_count(2)
    expect(page.locator(f"#post-{public_id} img")).to_have_count(1)
    members_id = new_post(web, "Только для участников движения.", "members")
    chapter_id = new_post(web, "Только для отделения в Москве.", "chapter", chapter=chapter_a)

    posts = {p.pk: p for p in Post.objects.all()}
    assert set(posts) == {public_id, members_id, chapter_id}
    assert all(p.status == "published" for p in posts.values())
    assert (posts[public_id].visibility, posts[members_id].visibility) == ("public", "members")
    assert (posts[chapter_id].visibility, posts[chapter_id].chapter_id) == ("chapter", chapter_a.pk)
    assert "<strong>ротации</strong>" in posts[public_id].body_html
    media = PostMedia.objects.get()
    assert (media.post_id, media.kind) == (public_id, "image")
    assert not PostMedia.objects.exclude(post_id=public_id).exists()
    web.sign_out()

    # A visitor sees the public post, and its image loads; nothing else.
    with page.expect_response(lambda r: r.url.endswith(f"/channel/media/{media.pk}/")) as image_answer:
        web.go("/channel/")
    image = image_answer.value
    assert image.status == 200
    assert image.headers["content-type"] in {"image/jpeg", "image/png"}
    assert image.finished() is None  # no network error
    assert int(image.headers["content-length"]) == media.size
    assert shown_posts(web) == {public_id}
    img = page.locator(f"#post-{public_id} img")
    assert img.get_attribute("src") == f"/channel/media/{media.pk}/"
    web.go(f"/channel/{members_id}/", status=404)
    web.go(f"/channel/{chapter_id}/", status=404)

    # The feed of public posts loads, with the public post only.
    feed = page.request.get(web.url("/channel/rss.xml"))
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("application/rss+xml")
    xml = feed.text()
    assert "<rss" in xml
    assert f"/channel/{public_id}/" in xml
    assert f"/channel/{members_id}/" not in xml
    assert f"/channel/{chapter_id}/" not in xml

    # A member of another chapter: the public and members posts, not Moscow's chapter post.
    web.sign_in("member_spe", TEST_PASSPHRASE)
    assert web.path() == "/"
    web.go("/channel/")
    assert shown_posts(web) == {public_id, members_id}
    web.go(f"/channel/{chapter_id}/", status=404)
    web.go("/channel/")
    web.sign_out()

    # A member of the Moscow chapter: all three. She follows the channel in the app.
    web.sign_in("member_mow", TEST_PASSPHRASE)
    assert web.path() == "/"
    web.go("/channel/")
    assert shown_posts(web) == {public_id, members_id, chapter_id}
    web.go(f"/channel/{chapter_id}/")
    expect(page.locator(f"#post-{chapter_id}")).to_have_count(1)
    web.go("/channel/")
    follow = page.locator("main form[action$='/channel/follow/']")
    expect(follow.locator("input[name=follow]")).to_have_value("1")
    web.submit(follow.locator("button[type=submit]"))
    assert web.path() == "/channel/"
    assert Follow.objects.filter(account=member_mow).count() == 1
    assert not Follow.objects.filter(account=member_spe).exists()
    expect(page.locator("main form[action$='/channel/follow/'] input[name=follow]")).to_have_value("0")
