"""Version counters for caches of derived data (e.g. public statistics).

A writer bumps a counter in the same transaction as its change; readers put the
counter in their cache key, so every process sees a change at once without a shared
cache server.
"""

import time

from django.db.models import F

from homeward.lib.models import Version

#: Public statistics: loved ones, members, chapters (families, chapters, accounts bump it).
PUBLIC_STATS = "public-stats"
#: The channel: posts and their visibility (channel.services bumps it); feeds and page caches key on it.
CHANNEL = "channel"


def version_bump(name: str) -> None:
    _recent.pop(name, None)
    updated = Version.objects.filter(name=name).update(value=F("value") + 1)
    if not updated:
        Version.objects.get_or_create(name=name, defaults={"value": 1})


def version_current(name: str) -> int:
    return Version.objects.filter(name=name).values_list("value", flat=True).first() or 0


_recent: dict[str, tuple[float, int]] = {}


def version_recent(name: str, *, max_age: float = 1.0) -> int:
    """The version as this process saw it at most `max_age` seconds ago.

    For caches of public pages only: it spares a query per request at the price of a
    change showing up to a second late in another process (this one sees its own at once
    because the writer's next read is not from here). Never for anything member-visible.
    """
    now = time.monotonic()
    seen = _recent.get(name)
    if seen is not None and now - seen[0] < max_age:
        return seen[1]
    value = version_current(name)
    _recent[name] = (now, value)
    return value


def version_forget() -> None:
    _recent.clear()
