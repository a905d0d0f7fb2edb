"""Building actions for tests: through the service, as a coordinator would."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone

PLACE = "Сквер у Вечного огня, северная сторона, у третьей скамьи"
LAWYERS = "Адвокат Ирина, +7 900 000-00-00"


def place_marker() -> str:
    """A place no page could contain by chance: tests grep the HTML for it."""
    return f"Сквер у Вечного огня, скамья {secrets.token_hex(4)}"


def make_action(
    *,
    chapter,
    actor=None,
    starts_in: dt.timedelta = dt.timedelta(days=20),
    hours: float = 2,
    kind: str = "group_picket",
    place: str | None = None,
    lawyers_contacts: str = LAWYERS,
    lawyers=(),
    is_public: bool = True,
    reveal_hours: int = 3,
    title: str = "Возложение цветов к Вечному огню",
    city: str = "Москва",
    now: dt.datetime | None = None,
):
    from homeward.actions.services import action_create

    now = now or timezone.now()
    starts = now + starts_in
    return action_create(
        actor=actor,
        data={
            "chapter": chapter,
            "title": title,
            "kind": kind,
            "city": city,
            "place": place or PLACE,
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=hours),
            "reveal_hours": reveal_hours,
            "is_public": is_public,
            "what_to_bring": "Белые платки и гвоздики",
            "safety_briefing": "Не вступайте в споры.",
            "lawyers_contacts": lawyers_contacts,
        },
        lawyers=list(lawyers),
        now=now,
    )
