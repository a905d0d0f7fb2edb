"""The one place that answers "may this account do X to this object".

Every view calls `require()` (or `can()` to decide what to show). Rules are plain
functions of (account, obj); powers — what coordinators and admins may do beyond a
member — also need a second factor confirmed in this session (PRODUCT.md, roles).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404


class SecondFactorRequired(PermissionDenied):
    """The account holds the power but has not confirmed a second factor in this session."""


Rule = Callable[[object, object], bool]
_RULES: dict[str, Rule] = {}
_POWERS: set[str] = set()


def rule(name: str, *, power: bool = False):
    """Register a permission rule: `@rule("chapter.manage", power=True)`."""

    def register(func: Rule) -> Rule:
        if name in _RULES:
            raise ValueError(f"permission {name!r} registered twice")
        _RULES[name] = func
        if power:
            _POWERS.add(name)
        return func

    return register


def is_power(name: str) -> bool:
    return name in _POWERS


def can(account, name: str, obj=None) -> bool:
    """True when the account's role allows `name` on `obj` (second factor not considered)."""
    try:
        check = _RULES[name]
    except KeyError as exc:
        raise LookupError(f"unknown permission {name!r}") from exc
    return bool(check(account, obj))


def second_factor_ok(account) -> bool:
    verified = getattr(account, "is_verified", None)
    return bool(verified and verified())


def require(request, name: str, obj=None, *, hide: bool = False) -> None:
    """Raise unless the request's account may do `name` to `obj`.

    hide=True answers 404 rather than 403, for objects whose existence is private.
    """
    if not can(request.user, name, obj):
        if hide:
            raise Http404
        raise PermissionDenied
    if is_power(name) and not second_factor_ok(request.user):
        raise SecondFactorRequired


def known_permissions() -> set[str]:
    return set(_RULES)
