"""RSS 2.0 and Atom feeds: only public published posts, cheap to poll (ETag, Last-Modified)."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homeward.channel.tests.builders import make_post

FEEDS = ["channel:rss", "channel:atom"]


@pytest.fixture
def channel(cast, chapter_a):
    author = cast["coordinator"]
    start = timezone.now() - dt.timedelta(hours=3)
    return {
        "old": make_post(author=author, body="Old public post\n\nmore text", now=start),
        "new": make_post(author=author, body="New public post", images=1, now=start + dt.timedelta(hours=1)),
        "members": make_post(author=author, body="MEMBERS-ONLY words", visibility="members"),
        "chapter": make_post(author=author, body="CHAPTER-ONLY words", visibility="chapter", chapter=chapter_a),
        "draft": make_post(author=author, body="DRAFT words", action="draft"),
        "scheduled": make_post(
            author=author, body="SCHEDULED words", action="schedule", publish_at=timezone.now() + dt.timedelta(days=1)
        ),
    }


def fetch(name, **headers):
    return Client().get(reverse(name), headers=headers)


@pytest.mark.parametrize(("name", "version"), [("channel:rss", "rss20"), ("channel:atom", "atom10")])
def test_the_feed_parses_and_holds_only_public_published_posts(channel, name, version):
    response = fetch(name)

    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    assert [e.link for e in feed.entries] == [
        f"http://testserver{reverse('channel:post', args=[channel[k].pk])}" for k in ("new", "old")
    ]
    assert [e.title for e in feed.entries] == ["New public post", "Old public post"]
    for hidden in ("MEMBERS-ONLY", "CHAPTER-ONLY", "DRAFT", "SCHEDULED"):
        assert hidden.encode() not in response.content
    for post_name in ("members", "chapter", "draft", "scheduled"):
        assert reverse("channel:post", args=[channel[post_name].pk]).encode() not in response.content


def test_the_content_types_are_the_feed_types(channel):
    assert fetch("channel:rss")["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert fetch("channel:atom")["Content-Type"] == "application/atom+xml; charset=utf-8"


@pytest.mark.parametrize("name", FEEDS)
def test_feed_entries_carry_the_sanitized_html_and_dates(cast, name):
    post = make_post(author=cast["coordinator"], body="**Bold** <script>alert(1)</script> [x](javascript:alert(2))")

    feed = feedparser.parse(fetch(name).content)

    (entry,) = feed.entries
    html = entry.content[0].value if "content" in entry else entry.description
    assert "<strong>Bold</strong>" in html
    assert "alert" not in html and "javascript" not in html
    published = dt.datetime(*entry.published_parsed[:6], tzinfo=dt.UTC)
    assert abs(published - post.published_at) < dt.timedelta(seconds=1)


@pytest.mark.parametrize("name", FEEDS)
def test_an_empty_channel_still_gives_a_valid_feed(db, name):
    response = fetch(name)

    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.entries == []


@pytest.mark.parametrize("name", FEEDS)
def test_a_reader_that_has_the_etag_gets_304(channel, name):
    first = fetch(name)
    assert first.has_header("ETag")

    again = fetch(name, **{"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("name", FEEDS)
def test_a_reader_that_has_the_date_gets_304(channel, name):
    first = fetch(name)
    assert first.has_header("Last-Modified")

    again = fetch(name, **{"If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 304


@pytest.mark.parametrize("name", FEEDS)
def test_a_stale_etag_or_date_gets_the_whole_feed(channel, name):
    stale_date = "Mon, 01 Jan 2001 00:00:00 GMT"

    assert fetch(name, **{"If-None-Match": '"not-the-etag"'}).status_code == 200
    assert fetch(name, **{"If-Modified-Since": stale_date}).status_code == 200


@pytest.mark.parametrize("name", FEEDS)
def test_a_new_public_post_changes_the_etag_and_reaches_the_reader(cast, channel, name):
    first = fetch(name)

    make_post(author=cast["coordinator"], body="Fresh news")
    again = fetch(name, **{"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert [e.title for e in feedparser.parse(again.content).entries][0] == "Fresh news"


@pytest.mark.parametrize("name", FEEDS)
def test_an_edit_of_a_public_post_changes_the_etag(cast, channel, client_for, name):
    first = fetch(name)

    client_for("coordinator").post(
        reverse("channel:edit", args=[channel["old"].pk]), {"body": "Old post, corrected", "visibility": "public"}
    )
    again = fetch(name, **{"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert "Old post, corrected" in [e.title for e in feedparser.parse(again.content).entries]


@pytest.mark.parametrize("name", FEEDS)
def test_non_public_activity_does_not_show_in_the_feed_or_its_etag(cast, chapter_a, channel, name):
    """A reader polling the feed cannot even tell that members' posts were written."""
    first = fetch(name)

    make_post(author=cast["coordinator"], body="More for members", visibility="members")
    make_post(author=cast["coordinator"], body="More for A", visibility="chapter", chapter=chapter_a)
    make_post(author=cast["coordinator"], body="Another draft", action="draft")

    assert fetch(name, **{"If-None-Match": first["ETag"]}).status_code == 304
    assert fetch(name)["ETag"] == first["ETag"]


def test_rss_and_atom_have_different_etags(channel):
    assert fetch("channel:rss")["ETag"] != fetch("channel:atom")["ETag"]


@pytest.mark.parametrize("name", FEEDS)
def test_the_feed_is_the_same_for_members(channel, client_for, name):
    """Feeds are for feed readers: a member's session does not add members' posts to them."""
    response = client_for("member").get(reverse(name))

    assert b"MEMBERS-ONLY" not in response.content and b"CHAPTER-ONLY" not in response.content
