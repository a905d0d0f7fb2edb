"""Object ids from URLs and forms: a positive integer a database column can hold, or 404."""

from __future__ import annotations

from django.http import Http404

MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """The id in `value` (str or int), or None when it is not a plain positive integer in range."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        return None
    try:
        number = int(value)
    except (ValueError, TypeError):
        return None
    return number if 0 < number <= MAX_ID else None


def pk_or_404(value) -> int:
    number = as_id(value)
    if number is None:
        raise Http404
    return number
