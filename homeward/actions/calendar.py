"""iCalendar feeds (RFC 5545) of public actions: the movement's and each chapter's.

An event carries the title, kind, city, times, status and a link — never the exact
place: the LOCATION is the city. Cancelled actions stay in the feed with
STATUS:CANCELLED, so calendars that imported them learn of the cancellation.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from homeward.actions.models import Status
from homeward.actions.selectors import public_actions

#: Past actions stay in the feed this long.
PAST_DAYS = 90
FEED_SIZE = 500

ICAL_STATUS = {
    Status.PLANNED: "TENTATIVE",
    Status.CONFIRMED: "CONFIRMED",
    Status.DONE: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
}


def feed(request, *, chapter=None) -> bytes:
    now = timezone.now()
    actions = public_actions().filter(ends_at__gt=now - dt.timedelta(days=PAST_DAYS))
    if chapter is not None:
        actions = actions.filter(chapter=chapter)
    host = request.get_host().split(":")[0] or "homeward"
    cal = Calendar()
    cal.add("prodid", f"-//{settings.HOMEWARD_NAME}//actions//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = settings.HOMEWARD_NAME if chapter is None else f"{settings.HOMEWARD_NAME} · {chapter.name}"
    cal.add("x-wr-calname", _("Actions: %(name)s") % {"name": name})
    for action in actions.order_by("starts_at", "id")[:FEED_SIZE]:
        url = request.build_absolute_uri(action.get_absolute_url())
        event = Event()
        event.add("uid", f"action-{action.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", action.starts_at.astimezone(dt.UTC))
        event.add("dtend", action.ends_at.astimezone(dt.UTC))
        event.add("summary", action.title)
        event.add("location", action.city)
        event.add(
            "description",
            _("%(kind)s, %(city)s. The exact place is shown to members who are coming, shortly before the start.")
            % {"kind": action.get_kind_display().capitalize(), "city": action.city},
        )
        event.add("url", url)
        event.add("status", ICAL_STATUS[action.status])
        event.add("categories", [action.get_kind_display()])
        cal.add_component(event)
    return cal.to_ical()
