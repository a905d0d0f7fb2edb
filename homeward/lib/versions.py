"""Version counters for caches of derived data (e.g. public statistics).

A writer bumps a counter in the same transaction as its change; readers put the
counter in their cache key, so every process sees a change at once without a shared
cache server.
"""

from django.db.models import F

from homeward.lib.models import Version

#: Public statistics: loved ones, members, chapters (families, chapters, accounts bump it).
PUBLIC_STATS = "public-stats"
#: The channel: posts and their visibility (channel.services bumps it); feeds and page caches key on it.
CHANNEL = "channel"


def version_bump(name: str) -> None:
    updated = Version.objects.filter(name=name).update(value=F("value") + 1)
    if not updated:
        Version.objects.get_or_create(name=name, defaults={"value": 1})


def version_current(name: str) -> int:
    return Version.objects.filter(name=name).values_list("value", flat=True).first() or 0
