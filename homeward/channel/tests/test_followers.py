"""Follower counts: recorded once a day per source, shown to coordinators as an SVG chart."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from conftest import make_account
from homeward.channel import tasks
from homeward.channel.models import Follow, FollowerCount
from homeward.lib.scheduling import DAILY_JOBS

DAY = dt.date(2025, 3, 1)


def follow(*handles):
    for handle in handles:
        Follow.objects.create(account=make_account(handle))


def stored():
    return [(c.day, c.source, c.count) for c in FollowerCount.objects.order_by("day", "source")]


def test_the_daily_count_records_the_apps_followers(db):
    follow("anna", "boris", "vera")

    result = tasks.record_follower_counts(today=DAY)

    assert result == {"app": 3}
    assert stored() == [(DAY, "app", 3)]


def test_counting_twice_a_day_keeps_one_row_with_the_latest_number(db):
    follow("anna")
    tasks.record_follower_counts(today=DAY)
    tasks.record_follower_counts(today=DAY)
    assert stored() == [(DAY, "app", 1)]

    follow("boris")
    tasks.record_follower_counts(today=DAY)

    assert stored() == [(DAY, "app", 2)]


def test_each_day_gets_its_own_row(db):
    follow("anna")
    tasks.record_follower_counts(today=DAY)
    follow("boris", "vera")
    tasks.record_follower_counts(today=DAY + dt.timedelta(days=1))
    Follow.objects.filter(account__handle="anna").delete()
    tasks.record_follower_counts(today=DAY + dt.timedelta(days=2))

    assert stored() == [
        (DAY, "app", 1),
        (DAY + dt.timedelta(days=1), "app", 3),
        (DAY + dt.timedelta(days=2), "app", 2),
    ]


def test_no_followers_is_a_count_of_zero(db):
    tasks.record_follower_counts(today=DAY)

    assert stored() == [(DAY, "app", 0)]


def test_following_in_the_app_is_what_is_counted(cast, client_for):
    for role in ("follower", "member", "outsider"):
        client_for(role).post(reverse("channel:follow"), {"follow": "1"})
    client_for("outsider").post(reverse("channel:follow"), {"follow": "0"})

    tasks.record_follower_counts(today=DAY)

    assert stored() == [(DAY, "app", 2)]


def test_without_the_bridge_no_telegram_count_is_recorded(db, settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    settings.TELEGRAM_CHANNEL_ID = ""

    tasks.record_follower_counts(today=DAY)

    assert not FollowerCount.objects.filter(source="telegram").exists()


def test_the_count_is_a_daily_job(db):
    assert DAILY_JOBS["homeward.channel.tasks.channel_daily"] is tasks.channel_daily


def test_the_daily_job_counts_and_catches_up(cast):
    from django.utils import timezone

    follow("anna")

    result = tasks.channel_daily.call()

    assert result == {"published": 0, "followers": {"app": 1}}
    assert stored() == [(timezone.localdate(), "app", 1)]


def test_the_followers_page_shows_an_svg_chart_with_a_title(cast, client_for):
    for i, count in enumerate([3, 5, 8, 13]):
        FollowerCount.objects.create(day=DAY + dt.timedelta(days=i), source="app", count=count)

    response = client_for("coordinator").get(reverse("channel:followers"))

    assert response.status_code == 200
    page = response.content.decode()
    svg = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert svg is not None
    assert 'role="img"' in svg.group(0)
    assert re.search(r"<title[^>]*>Followers by day: in the app</title>", svg.group(0))
    assert "01.03: 3; 02.03: 5; 03.03: 8; 04.03: 13" in svg.group(0)  # the numbers, for screen readers
    assert "In the app: 13" in page
    assert "<script" not in svg.group(0) and "style=" not in svg.group(0)


def test_the_followers_page_before_the_first_count(cast, client_for):
    page = client_for("coordinator").get(reverse("channel:followers")).content.decode()

    assert "No counts yet" in page
    assert "<svg" not in page


@pytest.mark.parametrize("role", ["member", "follower", "outsider"])
def test_only_writers_see_the_followers_page(cast, client_for, role):
    assert client_for(role).get(reverse("channel:followers")).status_code == 403
