"""Hostile input to the channel's forms never produces a server error or half a post (PRIVACY.md rule 10).

Hypothesis sends what a browser could send and much it would not: NUL and control
characters, emoji, mixed scripts, huge texts, unknown visibilities and chapters,
impossible dates, and arbitrary bytes as images and video.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from homeward.channel.models import Post, PostMedia
from homeward.channel.tests.builders import (
    LINUX_ELF,
    MP4_HEAD,
    WEBM_HEAD,
    WINDOWS_EXE,
    image_bytes,
    make_post,
    media_files,
    png_declaring,
)
from homeward.lib.tests.fuzzing import FilePart, fuzz, send

# --- strategies -------------------------------------------------------------------------

SPECIAL = [
    "",
    " ",
    "\x00",
    "news\x00",
    "a\x1b[31mred",
    "\r\n\t",
    "\u202eevil",
    "\u200b\u200d\ufeff",
    "🕊️👩‍👧‍👦🇷🇺 Вернём наших домой",
    "ǅungla ς σ Σ ß İ ı 中文 عربى",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "'; DROP TABLE channel_post; --",
    "**" * 500,
    "> " * 1000,
    "- " * 2000 + "x",
    "1. " * 500,
    "`" * 999,
    "[" * 3000,
    "\\" * 100,
]
mixed_scripts = st.text(alphabet=st.sampled_from("abcXYZ абвЁЖ 0129 ΣσςßİıǅՁ中文ع٣\u0301*_#>[]()`-!<>&\n"), max_size=80)
huge = st.builds(lambda chars, n: chars * n, st.text(min_size=1, max_size=3), st.integers(5_000, 25_000))
text = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=200), mixed_scripts, huge)
value = st.one_of(text, st.binary(max_size=40))

visibilities = st.one_of(st.sampled_from(["public", "members", "chapter", "", "PUBLIC", "secret", "chapter\x00"]), text)
# Symbolic chapters: "A" and "B" become the fixtures' ids inside the test.
chapters = st.one_of(
    st.sampled_from(["A", "B", "", "0", "-1", "1.5", "abc", "99999999999999999999", "9223372036854775808", "\x00"]),
    st.integers(-(2**70), 2**70).map(str),
    text,
)
actions = st.one_of(st.sampled_from(["publish", "draft", "schedule", "", "delete", "PUBLISH"]), text)
datetimes = st.one_of(
    st.sampled_from(
        [
            "",
            "2031-01-01T10:00",
            "2001-01-01T10:00",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "2031-02-30T10:00",
            "2031-01-01T25:61",
            "2031-01-01 10:00:00+99:00",
            "2031-01-01T10:00Z",
            "1e308",
            "now",
            "\x00",
        ]
    ),
    st.datetimes(allow_imaginary=True).map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    text,
)

GOOD_PNG = image_bytes("PNG")
GOOD_JPEG = image_bytes("JPEG", with_gps=True)
file_bodies = st.one_of(
    st.sampled_from(
        [
            GOOD_PNG,
            GOOD_JPEG,
            GOOD_PNG[:50],
            GOOD_JPEG + b"\x00" * 100,
            WINDOWS_EXE,
            LINUX_ELF,
            MP4_HEAD,
            WEBM_HEAD,
            png_declaring(100_000, 100_000),
            b"",
        ]
    ),
    st.binary(max_size=300),
    st.builds(
        lambda head, tail: head + tail, st.sampled_from([GOOD_PNG[:16], b"GIF89a", b"\xff\xd8\xff"]), st.binary()
    ),
)
file_names = st.one_of(
    st.sampled_from(
        [
            "photo.jpg",
            "clip.mp4",
            "x.webm",
            "../../etc/passwd",
            "..\\..\\boot.ini",
            "..",
            "",
            "a\x00.png",
            'q"uote.png',
            "<img src=x onerror=alert(1)>.png",
            "ё.png",
            "x" * 500 + ".png",
        ]
    ),
    st.text(max_size=30),
)
files = st.builds(lambda name, body: FilePart(name, body), file_names, file_bodies)
SAFE_NAMES = st.sampled_from(["photo.jpg", "ё фото.png", "<b>bold</b>.jpeg", "x" * 300 + ".png", "no-extension"])


def form(**fields):
    """Any of the fields present or missing, with a stray field now and then."""
    return st.fixed_dictionaries({}, optional={**fields, "unexpected": value})


def real_chapters(data, chapter_a, chapter_b):
    if "chapter" in data:
        data["chapter"] = {"A": str(chapter_a.pk), "B": str(chapter_b.pk)}.get(data["chapter"], data["chapter"])
    return data


def no_server_error(response):
    assert response.status_code < 500, response.status_code


def nothing_untypable_is_stored():
    for body in Post.objects.values_list("body", flat=True):
        assert not any(ord(ch) < 32 and ch not in "\t\n\r" for ch in body)


# --- new posts --------------------------------------------------------------------------


@fuzz
@given(
    data=form(
        body=text,
        visibility=visibilities,
        chapter=chapters,
        action=actions,
        publish_at=datetimes,
        images=st.lists(files, max_size=3),
        video=files,
    )
)
@example(data={"body": "Hello", "visibility": "public", "action": "schedule", "publish_at": "0001-01-01T00:00"})
@example(data={"body": "Hello", "visibility": "public", "action": "schedule", "publish_at": "9999-12-31T23:59"})
@example(data={"body": "Hello", "visibility": "chapter", "chapter": "99999999999999999999", "action": "publish"})
@example(data={"body": "Hello", "visibility": "chapter", "chapter": "B", "action": "publish"})
@example(data={"body": "Hello", "visibility": "public", "action": "publish", "video": FilePart("v.mp4", MP4_HEAD)})
@example(data={"body": "Hello\x00", "visibility": "public", "action": "publish"})
@example(data={"body": "- " * 2000 + "x", "visibility": "public", "action": "publish"})  # found by hypothesis
def test_new_posts_never_fail_and_a_refusal_creates_nothing(cast, client_for, chapter_a, chapter_b, data):
    data = real_chapters(data, chapter_a, chapter_b)
    posts, media, files_before = Post.objects.count(), PostMedia.objects.count(), media_files()

    response = send(client_for("coordinator"), reverse("channel:new"), data)

    no_server_error(response)
    if response.status_code == 302:
        post = Post.objects.order_by("-id").first()
        assert Post.objects.count() == posts + 1
        assert response["Location"] == reverse("channel:post", args=[post.pk])
        assert post.visibility in {"public", "members", "chapter"}
        assert post.chapter in ({chapter_a} if post.visibility == "chapter" else {None})
        assert len(media_files()) == len(files_before) + post.media.count()
    else:
        assert response.status_code == 400
        assert 'class="error"' in response.content.decode()  # she is told why
        assert (Post.objects.count(), PostMedia.objects.count()) == (posts, media)
        assert media_files() == files_before
    nothing_untypable_is_stored()


good_images = st.lists(st.builds(FilePart, SAFE_NAMES, st.sampled_from([GOOD_PNG, GOOD_JPEG])), max_size=2)


@fuzz
@given(
    body=st.one_of(text, mixed_scripts.filter(str.strip), st.sampled_from(SPECIAL[8:])),
    visibility=st.sampled_from(["public", "members", "chapter"]),
    action=st.sampled_from(["publish", "draft"]),
    images=good_images,
)
def test_a_post_that_mostly_passes_the_form_is_stored_whole_or_not_at_all(
    cast, client_for, chapter_a, body, visibility, action, images
):
    """The same property on input that mostly passes, so the accepting path is fuzzed too."""
    data = {"body": body, "visibility": visibility, "chapter": str(chapter_a.pk), "action": action, "images": images}
    posts, files_before = Post.objects.count(), media_files()

    response = send(client_for("coordinator"), reverse("channel:new"), data)

    no_server_error(response)
    if response.status_code == 302:
        post = Post.objects.order_by("-id").first()
        assert Post.objects.count() == posts + 1
        assert post.body == body.strip()
        assert post.media.count() == len(images)
        assert len(media_files()) == len(files_before) + len(images)
        page = client_for("coordinator").get(response["Location"])
        assert page.status_code == 200
        assert "<script" not in page.content.decode().split('<div class="post-body">', 1)[1].split("</div>", 1)[0]
    else:
        assert response.status_code == 400
        assert Post.objects.count() == posts and media_files() == files_before
    nothing_untypable_is_stored()


# --- edits ------------------------------------------------------------------------------


@pytest.fixture
def existing(cast):
    return make_post(author=cast["coordinator"], body="Original words", images=2)


@fuzz
@given(
    data=form(
        body=text,
        visibility=visibilities,
        chapter=chapters,
        remove_media=st.one_of(
            st.lists(st.sampled_from(["FIRST", "SECOND", "0", "-1", "abc", "99999999999999999999", ""]), max_size=3),
            value,
        ),
        images=st.lists(files, max_size=3),
    )
)
@example(data={"body": "Edited", "visibility": "public", "remove_media": ["FIRST", "99999999999999999999"]})
@example(data={"body": "Edited", "visibility": "chapter", "chapter": "A", "remove_media": ["SECOND"]})
def test_edits_never_fail_and_a_refusal_changes_nothing(cast, client_for, chapter_a, chapter_b, existing, data):
    data = real_chapters(data, chapter_a, chapter_b)
    ids = [m.pk for m in existing.media.all()]
    if isinstance(data.get("remove_media"), list):
        symbolic = {"FIRST": ids[0] if ids else 0, "SECOND": ids[-1] if ids else 0}
        data["remove_media"] = [str(symbolic.get(x, x)) for x in data["remove_media"]]
    before = Post.objects.values().get(pk=existing.pk)
    media, files_before = list(PostMedia.objects.values_list("pk", flat=True)), media_files()

    response = send(client_for("coordinator"), reverse("channel:edit", args=[existing.pk]), data)

    no_server_error(response)
    assert Post.objects.count() == 1
    if response.status_code == 302:
        post = Post.objects.get(pk=existing.pk)
        assert post.edited_at is not None
        assert post.media.count() <= 10
    else:
        assert response.status_code == 400
        assert Post.objects.values().get(pk=existing.pk) == before
        assert list(PostMedia.objects.values_list("pk", flat=True)) == media
        assert media_files() == files_before
    nothing_untypable_is_stored()


@fuzz
@given(
    body=st.one_of(text, mixed_scripts.filter(str.strip)),
    visibility=st.sampled_from(["public", "members", "chapter"]),
    remove=st.lists(st.sampled_from([0, 1]), unique=True),
    images=good_images,
)
def test_an_edit_that_mostly_passes_the_form_keeps_the_media_consistent(
    cast, client_for, chapter_a, existing, body, visibility, remove, images
):
    current = list(existing.media.all())
    data = {
        "body": body,
        "visibility": visibility,
        "chapter": str(chapter_a.pk),
        "remove_media": [str(current[i].pk) for i in remove if i < len(current)],
        "images": images,
    }
    before = Post.objects.values().get(pk=existing.pk)

    response = send(client_for("coordinator"), reverse("channel:edit", args=[existing.pk]), data)

    no_server_error(response)
    if response.status_code == 302:
        post = Post.objects.get(pk=existing.pk)
        assert post.body == body.strip() and post.visibility == visibility
        assert post.media.count() == len(current) - len(data["remove_media"]) + len(images)
        orders = list(post.media.values_list("order", flat=True))
        assert len(set(orders)) == len(orders)  # no two files claim the same place
    else:
        assert response.status_code == 400
        assert Post.objects.values().get(pk=existing.pk) == before
    nothing_untypable_is_stored()
