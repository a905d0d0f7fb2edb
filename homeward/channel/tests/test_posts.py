"""Posts: writing, scheduling, pinning, editing, deleting — and who sees what, cached or not."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_account, signed_in_client
from homeward.channel import tasks
from homeward.channel.models import Follow, Post, PostMedia, PostStatus
from homeward.channel.tests.builders import make_post, media_files, png_upload

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")  # the cast's time zone: what a datetime-local field means
POST_ID = re.compile(r'<article class="post[^"]*" id="post-(\d+)"')


def shown_ids(response) -> list[int]:
    assert response.status_code == 200, response.status_code
    return [int(pk) for pk in POST_ID.findall(response.content.decode())]


def new_post(client, **data):
    return client.post(reverse("channel:new"), {"body": "Hello", "visibility": "public", "action": "publish", **data})


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment, MOSCOW).strftime("%Y-%m-%dT%H:%M")


# --- the cast's posts -----------------------------------------------------------------

WRITERS = {"coordinator", "other_coordinator", "admin"}
SEES = {
    "visitor": {"public"},
    "follower": {"public"},
    "member": {"public", "members", "chapter_a"},
    "outsider": {"public", "members", "chapter_b"},
    "coordinator": {"public", "members", "chapter_a"},
    "other_coordinator": {"public", "members", "chapter_b"},
    "admin": {"public", "members", "chapter_a", "chapter_b"},
}


@pytest.fixture
def posts(cast, chapter_a, chapter_b):
    """One post of each kind, each with an image, a minute apart."""
    start = timezone.now() - dt.timedelta(hours=1)
    coordinator, other = cast["coordinator"], cast["other_coordinator"]
    return {
        "public": make_post(author=coordinator, body="PUBLIC-POST", images=1, now=start),
        "members": make_post(
            author=coordinator, body="MEMBERS-POST", visibility="members", images=1, now=start + dt.timedelta(minutes=1)
        ),
        "chapter_a": make_post(
            author=coordinator,
            body="CHAPTER-A-POST",
            visibility="chapter",
            chapter=chapter_a,
            images=1,
            now=start + dt.timedelta(minutes=2),
        ),
        "chapter_b": make_post(
            author=other,
            body="CHAPTER-B-POST",
            visibility="chapter",
            chapter=chapter_b,
            images=1,
            now=start + dt.timedelta(minutes=3),
        ),
        "draft": make_post(author=coordinator, body="DRAFT-POST", images=1, action="draft"),
        "scheduled": make_post(
            author=coordinator,
            body="SCHEDULED-POST",
            images=1,
            action="schedule",
            publish_at=timezone.now() + dt.timedelta(days=1),
        ),
    }


@pytest.mark.parametrize("role", SEES)
def test_the_channel_page_shows_each_role_only_what_it_may_read(posts, client_for, role):
    response = client_for(role).get(reverse("channel:list"))

    page = response.content.decode()
    assert set(shown_ids(response)) == {posts[name].pk for name in SEES[role]}
    for name, post in posts.items():
        assert (post.body in page) == (name in SEES[role]), name


@pytest.mark.parametrize("role", SEES)
def test_a_post_page_and_its_media_answer_404_to_whoever_may_not_read_it(posts, client_for, role):
    client = client_for(role)
    may_read = SEES[role] | ({"draft", "scheduled"} if role in WRITERS else set())

    for name, post in posts.items():
        page = client.get(reverse("channel:post", args=[post.pk]))
        media = client.get(reverse("channel:media", args=[post.media.get().pk]))

        expected = 200 if name in may_read else 404
        assert (name, page.status_code, media.status_code) == (name, expected, expected)
        if expected == 200:
            assert post.body in page.content.decode()
            assert b"".join(media.streaming_content) == post.media.get().file.read()


def test_a_post_id_that_does_not_exist_or_is_absurd_is_a_plain_404(posts, client_for):
    client = client_for("member")

    assert client.get(reverse("channel:post", args=[999999])).status_code == 404
    assert client.get(reverse("channel:post", args=[2**63])).status_code == 404
    assert client.get(reverse("channel:media", args=[999999])).status_code == 404
    assert client.get("/channel/99999999999999999999999999/").status_code == 404
    assert client.get("/channel/media/99999999999999999999999999/").status_code == 404


def test_drafts_and_scheduled_posts_are_listed_only_for_those_who_manage_them(posts, client_for):
    coordinator = client_for("coordinator").get(reverse("channel:drafts")).content.decode()

    assert "DRAFT-POST" in coordinator and "SCHEDULED-POST" in coordinator
    assert "PUBLIC-POST" not in coordinator
    for role in ["member", "follower", "outsider"]:
        assert client_for(role).get(reverse("channel:drafts")).status_code == 403


def test_a_chapter_draft_is_hidden_even_from_the_other_chapters_coordinator(cast, client_for, chapter_a):
    draft = make_post(
        author=cast["coordinator"], body="A-DRAFT", visibility="chapter", chapter=chapter_a, action="draft"
    )

    assert client_for("coordinator").get(reverse("channel:post", args=[draft.pk])).status_code == 200
    assert client_for("other_coordinator").get(reverse("channel:post", args=[draft.pk])).status_code == 404
    assert "A-DRAFT" not in client_for("other_coordinator").get(reverse("channel:drafts")).content.decode()
    assert client_for("member").get(reverse("channel:post", args=[draft.pk])).status_code == 404


def test_media_headers_depend_on_who_may_read_the_post(posts, client_for):
    public = Client().get(reverse("channel:media", args=[posts["public"].media.get().pk]))
    members = client_for("member").get(reverse("channel:media", args=[posts["members"].media.get().pk]))

    assert public["Cache-Control"] == "public, max-age=86400"
    assert "no-store" in members["Cache-Control"] and "private" in members["Cache-Control"]
    for response in (public, members):
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["X-Content-Type-Options"] == "nosniff"


# --- publishing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visibility", "readers"),
    [
        ("public", {"visitor", "follower", "member", "outsider"}),
        ("members", {"member", "outsider"}),
        ("chapter", {"member"}),
    ],
)
def test_a_coordinator_publishes_and_the_right_people_read_it(client_for, chapter_a, visibility, readers):
    coordinator = client_for("coordinator")

    response = new_post(coordinator, body="**Bring water** to the square", visibility=visibility, chapter=chapter_a.pk)

    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("channel:post", args=[post.pk])
    assert (post.status, post.visibility) == (PostStatus.PUBLISHED, visibility)
    assert post.chapter == (chapter_a if visibility == "chapter" else None)
    assert post.published_at is not None
    assert post.body_html == "<p><strong>Bring water</strong> to the square</p>"
    assert "Published." in coordinator.get(response["Location"]).content.decode()
    for role in ["visitor", "follower", "member", "outsider"]:
        page = client_for(role).get(reverse("channel:list")).content.decode()
        assert ("<strong>Bring water</strong>" in page) == (role in readers), role


def test_a_coordinator_cannot_post_to_another_chapter(client_for, chapter_b):
    response = new_post(client_for("coordinator"), visibility="chapter", chapter=chapter_b.pk)

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Post.objects.exists()


def test_a_chapter_post_needs_a_chapter(client_for):
    response = new_post(client_for("coordinator"), visibility="chapter")

    assert response.status_code == 400
    assert "Choose the chapter whose members will read it." in response.content.decode()
    assert not Post.objects.exists()


def test_the_chapter_is_dropped_from_a_post_that_is_not_for_one_chapter(client_for, chapter_a):
    new_post(client_for("coordinator"), visibility="members", chapter=chapter_a.pk)

    assert Post.objects.get().chapter is None


def test_an_empty_post_is_refused(client_for):
    response = new_post(client_for("coordinator"), body="   \n  ")

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Post.objects.exists()


def test_a_refused_post_keeps_what_was_typed(client_for):
    response = new_post(client_for("coordinator"), body="Meet at *noon*", visibility="nonsense")

    assert response.status_code == 400
    assert "Meet at *noon*" in response.content.decode()
    assert "Select a valid choice" in response.content.decode()
    assert not Post.objects.exists()


def test_the_text_is_sanitized_on_the_page(client_for):
    coordinator = client_for("coordinator")
    new_post(coordinator, body='Hi <script>alert("x")</script> [go](javascript:alert(1)) <img src=x onerror=alert(1)>')

    page = Client().get(reverse("channel:post", args=[Post.objects.get().pk])).content.decode()

    assert 'alert("x")' not in page and "javascript:" not in page and "onerror" not in page


def test_a_draft_is_saved_unseen_then_published(client_for):
    coordinator = client_for("coordinator")

    response = new_post(coordinator, body="DRAFT-TEXT", action="draft")

    draft = Post.objects.get()
    assert response.status_code == 302
    assert (draft.status, draft.published_at) == (PostStatus.DRAFT, None)
    assert "Draft: only coordinators see it." in coordinator.get(response["Location"]).content.decode()
    assert "DRAFT-TEXT" not in coordinator.get(reverse("channel:list")).content.decode()
    assert "DRAFT-TEXT" not in Client().get(reverse("channel:list")).content.decode()
    assert client_for("member").get(reverse("channel:post", args=[draft.pk])).status_code == 404

    assert coordinator.post(reverse("channel:publish", args=[draft.pk])).status_code == 302

    draft.refresh_from_db()
    assert draft.status == PostStatus.PUBLISHED and draft.published_at is not None
    assert "DRAFT-TEXT" in Client().get(reverse("channel:list")).content.decode()


def test_publishing_twice_changes_nothing_the_second_time(cast, client_for):
    draft = make_post(author=cast["coordinator"], action="draft")
    coordinator = client_for("coordinator")
    coordinator.post(reverse("channel:publish", args=[draft.pk]))
    first = Post.objects.get().published_at

    coordinator.post(reverse("channel:publish", args=[draft.pk]))

    assert Post.objects.get().published_at == first


def test_a_scheduled_post_waits_for_its_time_then_appears(client_for, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    coordinator = client_for("coordinator")
    at = (timezone.now() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)

    with django_capture_on_commit_callbacks(execute=True):
        response = new_post(coordinator, body="SCHEDULED-TEXT", action="schedule", publish_at=local(at))

    post = Post.objects.get()
    assert response.status_code == 302
    assert (post.status, post.publish_at, post.published_at) == (PostStatus.SCHEDULED, at, None)
    job = DBTaskResult.objects.get()
    assert job.task_path == "homeward.channel.tasks.publish_scheduled"
    assert (job.run_after, job.args_kwargs["args"]) == (at, [post.pk])
    assert "SCHEDULED-TEXT" not in Client().get(reverse("channel:list")).content.decode()
    assert "SCHEDULED-TEXT" not in coordinator.get(reverse("channel:list")).content.decode()
    assert "SCHEDULED-TEXT" in coordinator.get(reverse("channel:drafts")).content.decode()

    # The worker may run it early (a clock skew, a retry): nothing happens before its time.
    assert tasks.publish_scheduled.call(post.pk) is False
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED

    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    assert tasks.publish_scheduled.call(post.pk) is True

    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.publish_at is None and post.published_at is not None
    assert "SCHEDULED-TEXT" in Client().get(reverse("channel:list")).content.decode()

    published_at = post.published_at
    assert tasks.publish_scheduled.call(post.pk) is False  # a second run is harmless
    post.refresh_from_db()
    assert post.published_at == published_at
    assert Client().get(reverse("channel:list")).content.decode().count("SCHEDULED-TEXT") == 1


def test_a_scheduled_post_whose_task_was_lost_is_caught_up_by_the_daily_job(cast):
    post = make_post(author=cast["coordinator"], action="schedule", publish_at=timezone.now() + dt.timedelta(minutes=5))
    later = make_post(author=cast["coordinator"], action="schedule", publish_at=timezone.now() + dt.timedelta(days=2))

    assert tasks.publish_due(now=timezone.now()) == 0
    assert tasks.publish_due(now=timezone.now() + dt.timedelta(minutes=6)) == 1
    assert tasks.publish_due(now=timezone.now() + dt.timedelta(minutes=6)) == 0

    post.refresh_from_db()
    later.refresh_from_db()
    assert (post.status, later.status) == (PostStatus.PUBLISHED, PostStatus.SCHEDULED)


def test_the_task_leaves_a_deleted_or_unscheduled_post_alone(cast):
    post = make_post(author=cast["coordinator"], action="schedule", publish_at=timezone.now() + dt.timedelta(hours=1))
    Post.objects.filter(pk=post.pk).update(status=PostStatus.DRAFT, publish_at=timezone.now() - dt.timedelta(hours=1))

    assert tasks.publish_scheduled.call(post.pk) is False
    assert Post.objects.get(pk=post.pk).status == PostStatus.DRAFT
    assert tasks.publish_scheduled.call(987654) is False


@pytest.mark.parametrize(
    ("publish_at", "message"),
    [
        ("", "Choose when to publish."),
        ("2001-01-01T10:00", "This time has passed. Choose a time in the future."),
        ("tomorrow at noon", "Enter a valid date/time."),
    ],
)
def test_a_schedule_without_a_future_time_is_refused(client_for, publish_at, message):
    response = new_post(client_for("coordinator"), action="schedule", publish_at=publish_at)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Post.objects.exists()


# --- pinning, editing, deleting ---------------------------------------------------------


def test_a_pinned_post_comes_first_until_it_is_unpinned(cast, client_for):
    start = timezone.now() - dt.timedelta(days=1)
    old, middle, new = (
        make_post(author=cast["coordinator"], body=f"P{i}", now=start + dt.timedelta(hours=i)) for i in range(3)
    )
    coordinator = client_for("coordinator")

    assert coordinator.post(reverse("channel:pin", args=[old.pk]), {"pinned": "1"}).status_code == 302

    assert shown_ids(Client().get(reverse("channel:list"))) == [old.pk, new.pk, middle.pk]
    assert "pinned" in Client().get(reverse("channel:post", args=[old.pk])).content.decode()

    coordinator.post(reverse("channel:pin", args=[old.pk]), {"pinned": "0"})

    assert shown_ids(Client().get(reverse("channel:list"))) == [new.pk, middle.pk, old.pk]


def test_editing_a_published_post_marks_it_edited(cast, client_for):
    post = make_post(author=cast["coordinator"], body="First words")
    assert "· edited" not in Client().get(reverse("channel:post", args=[post.pk])).content.decode()
    coordinator = client_for("coordinator")

    response = coordinator.post(
        reverse("channel:edit", args=[post.pk]), {"body": "Better words", "visibility": "public"}
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "Better words" and post.edited_at is not None
    for page in (
        Client().get(reverse("channel:post", args=[post.pk])).content.decode(),
        Client().get(reverse("channel:list")).content.decode(),
    ):
        assert "Better words" in page and "First words" not in page
        assert "· edited" in page


def test_editing_a_draft_does_not_mark_it_edited(cast, client_for):
    draft = make_post(author=cast["coordinator"], body="Draft words", action="draft")

    client_for("coordinator").post(reverse("channel:edit", args=[draft.pk]), {"body": "New", "visibility": "public"})

    draft.refresh_from_db()
    assert draft.body == "New" and draft.edited_at is None


def test_the_edit_form_shows_the_post_as_it_is(cast, client_for, chapter_a):
    post = make_post(author=cast["coordinator"], body="Keep *this*", visibility="chapter", chapter=chapter_a, images=2)

    page = client_for("coordinator").get(reverse("channel:edit", args=[post.pk])).content.decode()

    assert "Keep *this*" in page
    assert "image 1" in page and "image 2" in page  # files she may remove


def test_editing_removes_and_adds_images(cast, client_for, django_capture_on_commit_callbacks):
    post = make_post(author=cast["coordinator"], images=2)
    first, second = post.media.all()
    first_path = media_files()[0].parent / first.file.name.rsplit("/", 1)[-1]
    assert first_path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coordinator").post(
            reverse("channel:edit", args=[post.pk]),
            {
                "body": "Edited",
                "visibility": "public",
                "remove_media": [str(first.pk)],
                "images": [png_upload("new.png")],
            },
        )

    assert response.status_code == 302
    remaining = list(post.media.all())
    assert [m.pk for m in remaining][0] == second.pk and len(remaining) == 2
    assert [m.order for m in remaining] == sorted(m.order for m in remaining)
    assert not first_path.exists()
    assert len(media_files()) == 2


def test_an_edit_cannot_go_over_ten_images(cast, client_for):
    post = make_post(author=cast["coordinator"], images=9)

    response = client_for("coordinator").post(
        reverse("channel:edit", args=[post.pk]),
        {"body": "More", "visibility": "public", "images": [png_upload("a.png"), png_upload("b.png")]},
    )

    assert response.status_code == 400
    assert "At most 10 images per post." in response.content.decode()
    assert post.media.count() == 9


def test_a_member_cannot_edit_pin_or_delete(posts, client_for):
    member = client_for("member")
    pk = posts["public"].pk

    assert (
        member.post(reverse("channel:edit", args=[pk]), {"body": "hijack", "visibility": "public"}).status_code == 404
    )
    assert member.post(reverse("channel:pin", args=[pk]), {"pinned": "1"}).status_code == 404
    assert member.post(reverse("channel:delete", args=[pk])).status_code == 404
    post = Post.objects.get(pk=pk)
    assert (post.body, post.pinned) == ("PUBLIC-POST", False)


def test_deleting_removes_the_post_its_media_and_their_files(cast, client_for, django_capture_on_commit_callbacks):
    post = make_post(author=cast["coordinator"], body="Goodbye", images=3)
    keep = make_post(author=cast["coordinator"], body="Stays", images=1)
    media_ids = [m.pk for m in post.media.all()]
    kept_file = keep.media.get().file.path
    coordinator = client_for("coordinator")
    assert "Delete the post?" in coordinator.get(reverse("channel:delete", args=[post.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(reverse("channel:delete", args=[post.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("channel:list")
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not PostMedia.objects.filter(pk__in=media_ids).exists()
    assert [str(p) for p in media_files()] == [kept_file]
    assert Client().get(reverse("channel:post", args=[post.pk])).status_code == 404
    assert Client().get(reverse("channel:media", args=[media_ids[0]])).status_code == 404
    assert "Goodbye" not in Client().get(reverse("channel:list")).content.decode()


# --- the page cache for visitors --------------------------------------------------------


def test_the_visitor_cache_is_really_used(cast):
    """So that the tests below can fail: a change made behind the services' back is not seen."""
    post = make_post(author=cast["coordinator"], body="ORIGINAL")
    assert "ORIGINAL" in Client().get(reverse("channel:list")).content.decode()

    Post.objects.filter(pk=post.pk).update(body_html="<p>CHANGED</p>")  # no version bump

    assert "ORIGINAL" in Client().get(reverse("channel:list")).content.decode()
    assert "CHANGED" in signed_in_client(cast["member"]).get(reverse("channel:list")).content.decode()


def test_a_member_right_after_a_visitor_sees_the_members_posts(posts, cast):
    visitor = Client().get(reverse("channel:list"))
    assert "MEMBERS-POST" not in visitor.content.decode()
    assert "public" in visitor["Cache-Control"]
    assert "Cookie" in visitor["Vary"]

    member = signed_in_client(cast["member"]).get(reverse("channel:list"))

    assert "MEMBERS-POST" in member.content.decode() and "CHAPTER-A-POST" in member.content.decode()
    assert "no-store" in member["Cache-Control"] and "public" not in member["Cache-Control"]


def test_a_visitor_right_after_a_member_sees_no_members_post(posts, cast):
    for url in (reverse("channel:list"), reverse("channel:list") + "?page=1"):
        assert "MEMBERS-POST" in signed_in_client(cast["member"]).get(url).content.decode()
        assert "MEMBERS-POST" not in Client().get(url).content.decode()
        assert "MEMBERS-POST" not in Client().get(url).content.decode()  # from the cache now


def test_a_member_post_page_is_never_cached_for_visitors(posts, cast):
    url = reverse("channel:post", args=[posts["members"].pk])

    assert signed_in_client(cast["member"]).get(url).status_code == 200
    assert Client().get(url).status_code == 404
    assert Client().get(url).status_code == 404


def test_a_post_made_private_disappears_from_the_visitors_cache_at_once(posts, client_for):
    public = posts["public"]
    list_url, post_url = reverse("channel:list"), reverse("channel:post", args=[public.pk])
    assert "PUBLIC-POST" in Client().get(list_url).content.decode()
    assert Client().get(post_url).status_code == 200

    client_for("coordinator").post(
        reverse("channel:edit", args=[public.pk]), {"body": "NOW-MEMBERS", "visibility": "members"}
    )

    assert "PUBLIC-POST" not in Client().get(list_url).content.decode()
    assert "NOW-MEMBERS" not in Client().get(list_url).content.decode()
    assert Client().get(post_url).status_code == 404


def test_a_session_cookie_bypasses_the_cache(posts, cast):
    Client().get(reverse("channel:list"))  # fills the cache
    Post.objects.filter(pk=posts["public"].pk).update(body_html="<p>FRESH</p>")  # behind the cache's back
    stale_session = Client()
    stale_session.cookies["hw_session"] = "expired-or-forged"

    response = stale_session.get(reverse("channel:list"))

    assert "FRESH" in response.content.decode()  # rendered for this request, not taken from the cache
    assert "MEMBERS-POST" not in response.content.decode()  # and rendered for a visitor
    assert "FRESH" not in Client().get(reverse("channel:list")).content.decode()  # others still get the cache


def test_a_visitors_pending_message_is_hers_and_never_cached_for_the_next_visitor(posts, client_for):
    member = client_for("member")
    member.post(reverse("accounts:logout"))
    browser = Client()  # the browser drops the expired session cookie and keeps the message
    browser.cookies["messages"] = member.cookies["messages"].value

    hers = browser.get(reverse("channel:list"))
    next_visitor = Client().get(reverse("channel:list"))

    assert "You have signed out." in hers.content.decode()
    assert "public" not in hers.get("Cache-Control", "")
    assert "You have signed out." not in next_visitor.content.decode()
    assert "PUBLIC-POST" in next_visitor.content.decode()


# --- list page: order, pages, queries ---------------------------------------------------


def test_pages_are_newest_first_twenty_at_a_time(cast):
    start = timezone.now() - dt.timedelta(days=2)
    made = [
        make_post(author=cast["coordinator"], body=f"Post {i}", now=start + dt.timedelta(minutes=i)) for i in range(25)
    ]
    newest_first = [p.pk for p in reversed(made)]

    first = Client().get(reverse("channel:list"))
    second = Client().get(reverse("channel:list") + "?page=2")

    assert shown_ids(first) == newest_first[:20]
    assert shown_ids(second) == newest_first[20:]
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert 'href="?page=1" rel="prev"' in second.content.decode()
    assert shown_ids(Client().get(reverse("channel:list") + "?page=999")) == newest_first[20:]
    assert shown_ids(Client().get(reverse("channel:list") + "?page=abc")) == newest_first[:20]


def test_posts_published_in_the_same_instant_keep_a_stable_order(cast):
    now = timezone.now()
    made = [make_post(author=cast["coordinator"], body=f"Same {i}", now=now) for i in range(3)]

    assert shown_ids(Client().get(reverse("channel:list"))) == [p.pk for p in reversed(made)]


def fill_channel(author, chapter, count, *, start):
    for i in range(count):
        kind = ("public", None) if i % 3 == 0 else ("members", None) if i % 3 == 1 else ("chapter", chapter)
        make_post(
            author=author,
            body=f"Post {i}",
            visibility=kind[0],
            chapter=kind[1],
            images=2,
            now=start + dt.timedelta(minutes=i),
        )


LIST_QUERIES = 13  # one bound for 5 posts and for 30 (20 on the page): no query per post or image


@pytest.mark.parametrize("role", ["visitor", "follower", "member", "coordinator", "admin"])
def test_the_channel_page_costs_the_same_queries_for_few_and_many_posts(
    cast, chapter_a, settings, django_assert_max_num_queries, role
):
    settings.ANONYMOUS_CACHE_SECONDS = 0  # measure the page, not the cache
    client = signed_in_client(cast[role])
    start = timezone.now() - dt.timedelta(days=1)
    counts = []
    for total, more in [(5, 5), (30, 25)]:
        fill_channel(cast["coordinator"], chapter_a, more, start=start + dt.timedelta(hours=total))

        with django_assert_max_num_queries(LIST_QUERIES) as queries:
            response = client.get(reverse("channel:list"))

        counts.append(len(queries))
        images = response.content.decode().count('<img src="/channel/media/')
        readable = total if role not in {"visitor", "follower"} else Post.objects.filter(visibility="public").count()
        assert images == 2 * min(readable, 20), (total, images)
    assert counts[0] == counts[1], counts


# --- following in the app ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["follower", "member"])
def test_following_and_unfollowing_in_the_app(client_for, cast, role):
    client = client_for(role)
    assert "Follow in the app" in client.get(reverse("channel:list")).content.decode()

    assert client.post(reverse("channel:follow"), {"follow": "1"}).status_code == 302
    assert client.post(reverse("channel:follow"), {"follow": "1"}).status_code == 302  # twice is once

    assert Follow.objects.filter(account=cast[role]).count() == 1
    assert "Stop following in the app" in client.get(reverse("channel:list")).content.decode()

    client.post(reverse("channel:follow"), {"follow": "0"})

    assert not Follow.objects.filter(account=cast[role]).exists()
    assert "Follow in the app" in client.get(reverse("channel:list")).content.decode()


def test_a_visitor_is_offered_feeds_not_a_follow_button(db):
    page = Client().get(reverse("channel:list")).content.decode()

    assert reverse("channel:rss") in page and reverse("channel:atom") in page
    assert "Follow in the app" not in page
    assert Client().post(reverse("channel:follow"), {"follow": "1"}).status_code == 302
    assert not Follow.objects.exists()


def test_a_follow_ends_with_the_account(db):
    from homeward.accounts.models import Account

    anna = make_account("anna")
    signed_in_client(anna).post(reverse("channel:follow"), {"follow": "1"})

    Account.objects.filter(pk=anna.pk).delete()

    assert not Follow.objects.exists()
