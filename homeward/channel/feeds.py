"""RSS 2.0 and Atom feeds of public posts (feedgen), with ETag and Last-Modified."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.urls import reverse
from feedgen.feed import FeedGenerator

from homeward.channel.selectors import public_posts
from homeward.lib.versions import CHANNEL as CHANNEL_VERSION
from homeward.lib.versions import version_recent

FEED_SIZE = 50


def _state() -> dict:
    """What the feeds depend on, computed once per channel version and process."""
    key = f"feedstate:{version_recent(CHANNEL_VERSION)}"
    state = cache.get(key)
    if state is None:
        state = public_posts().aggregate(n=Count("id"), last=Max("published_at"), edited=Max("edited_at"))
        cache.set(key, state, 300)
    return state


def last_modified(request):
    agg = _state()
    stamps = [t for t in (agg["last"], agg["edited"]) if t]
    return max(stamps) if stamps else None


def etag(request):
    agg = _state()
    raw = f"{agg['n']}:{agg['last']}:{agg['edited']}:{request.path}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def rendered(request, kind: str) -> bytes:
    """The feed document, built once per channel version, host and kind in each process."""
    key = f"feed:{kind}:{version_recent(CHANNEL_VERSION)}:{request.get_host()}"
    body = cache.get(key)
    if body is None:
        fg = build(request)
        body = fg.rss_str(pretty=False) if kind == "rss" else fg.atom_str(pretty=False)
        cache.set(key, body, 300)
    return body


def build(request) -> FeedGenerator:
    fg = FeedGenerator()
    base = request.build_absolute_uri("/")
    fg.id(base)
    fg.title(settings.HOMEWARD_NAME)
    fg.link(href=request.build_absolute_uri(reverse("channel:list")), rel="alternate")
    fg.link(href=request.build_absolute_uri(request.path), rel="self")
    fg.description(settings.HOMEWARD_NAME)
    fg.language("ru")
    for post in reversed(list(public_posts()[:FEED_SIZE])):
        url = request.build_absolute_uri(reverse("channel:post", args=[post.pk]))
        entry = fg.add_entry()
        entry.id(url)
        entry.link(href=url)
        entry.title(post.body.strip().splitlines()[0][:100] if post.body.strip() else settings.HOMEWARD_NAME)
        entry.content(post.body_html, type="CDATA")
        entry.published(post.published_at)
        entry.updated(post.edited_at or post.published_at)
    return fg
