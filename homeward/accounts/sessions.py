"""Database sessions whose idle timeout is written at most once every SESSION_TOUCH_SECONDS.

Django's `SESSION_SAVE_EVERY_REQUEST` re-encodes, re-signs and rewrites the whole session
row on every request (BEGIN, UPDATE, COMMIT and a disk flush) only to move the expiry
date forward. Here `SESSION_SAVE_EVERY_REQUEST` is off: Django saves a session when its
data changes (sign-in, the second factor, anything that sets a key), exactly as before,
and `SessionMiddleware` below moves the expiry of every other session it serves:

- the store reads the row with one precompiled SELECT that also says whether the stored
  expiry was written less than SESSION_TOUCH_SECONDS ago ("fresh");
- a fresh session is not written at all; otherwise one UPDATE moves only its expiry.

The idle timeout stays enforced by the server, never later than before: a session ends
SESSION_COOKIE_AGE after its last write, and the last write is at most
SESSION_TOUCH_SECONDS older than the last request, so an idle session ends between
SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS and SESSION_COOKIE_AGE after her last request.
"Sign out everywhere" and passphrase changes do not depend on the session row (the
account's session hash is checked on every request), nor does the CSRF check (a cookie).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.conf import settings
from django.contrib.sessions import middleware
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.db import connections, router
from django.utils import timezone


def touch_interval() -> dt.timedelta:
    """SESSION_TOUCH_SECONDS, never more than half the idle timeout whatever the settings say."""
    seconds = getattr(settings, "SESSION_TOUCH_SECONDS", 60)
    return dt.timedelta(seconds=max(0, min(seconds, settings.SESSION_COOKIE_AGE // 2)))


@cache
def _statements(alias: str) -> tuple[str, str]:
    """The session SELECT (with its "fresh" flag) and the expiry UPDATE, for this database."""
    from django.contrib.sessions.models import Session

    quote = connections[alias].ops.quote_name
    opts = Session._meta
    table, key, data, expire = (
        quote(opts.db_table),
        quote(opts.get_field("session_key").column),
        quote(opts.get_field("session_data").column),
        quote(opts.get_field("expire_date").column),
    )
    # Quoted names from the model, values as parameters: no user input in the text.
    select = f"SELECT {data}, {expire} > %s FROM {table} WHERE {key} = %s AND {expire} > %s"  # noqa: S608
    touch = f"UPDATE {table} SET {expire} = %s WHERE {key} = %s"  # noqa: S608
    return select, touch


class SessionStore(DbSessionStore):
    #: After load(): True when the stored expiry was written less than SESSION_TOUCH_SECONDS ago.
    fresh: bool | None = None

    def load(self):
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        select, _touch = _statements(alias)
        now = timezone.now()
        fresh_after = now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) - touch_interval()
        adapt = connection.ops.adapt_datetimefield_value
        with connection.cursor() as cursor:
            cursor.execute(select, [adapt(fresh_after), self.session_key, adapt(now)])
            row = cursor.fetchone()
        if row is None:  # unknown or expired: as Django's store, forget the key
            self._session_key = None
            self.fresh = None
            return {}
        self.fresh = bool(row[1])
        return self.decode(row[0])

    def save(self, must_create=False):
        super().save(must_create=must_create)
        self.fresh = True

    def touch(self) -> None:
        """Move the idle timeout forward, if it was last written SESSION_TOUCH_SECONDS ago or more."""
        if self.session_key is None:
            return
        data = self._get_session()  # reads the row (and whether it is fresh) if nothing did yet
        if self.session_key is None:
            return  # unknown or expired: nothing to extend
        if self.fresh and "_session_expiry" not in data:  # (a custom expiry is always written)
            return  # written less than SESSION_TOUCH_SECONDS ago
        alias = router.db_for_write(self.model)
        connection = connections[alias]
        _select, touch = _statements(alias)
        with connection.cursor() as cursor:
            cursor.execute(touch, [connection.ops.adapt_datetimefield_value(self.get_expiry_date()), self.session_key])
        # No row (signed out in another tab meanwhile): nothing left to extend.
        self.fresh = True


class SessionMiddleware(middleware.SessionMiddleware):
    """Django's session middleware, and the idle timeout: every response to a request that
    carried a session moves its expiry forward (see SessionStore.touch)."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if isinstance(session, SessionStore) and not session.modified and response.status_code < 500:
            session.touch()
        return super().process_response(request, response)
