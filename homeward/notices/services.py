"""Creating and reading notices. Other apps call `notices_create`; it is idempotent by key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from homeward.notices.models import Notice


@dataclass(frozen=True)
class NewNotice:
    account_id: int
    kind: str
    key: str
    params: dict


def notices_create(*, notices: Iterable[NewNotice]) -> int:
    """Insert notices, skipping any whose (account, key) exists. Returns how many were new."""
    rows = [Notice(account_id=n.account_id, kind=n.kind, key=n.key, params=n.params) for n in notices]
    if not rows:
        return 0
    before = Notice.objects.count()
    Notice.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Notice.objects.count() - before


def notices_delete_about(*, account_id: int, loved_one_id: int) -> int:
    """Forget the notices about a loved one whose record is deleted: deleted means gone."""
    deleted, _ = Notice.objects.filter(account_id=account_id, params__loved_one=loved_one_id).delete()
    return deleted


def notices_mark_read(*, account) -> int:
    return Notice.objects.filter(account=account, read=False).update(read=True)


def unread_count(account) -> int:
    if not account.is_authenticated:
        return 0
    return Notice.objects.filter(account=account, read=False).count()
