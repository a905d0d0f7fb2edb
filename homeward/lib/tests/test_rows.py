"""get_by_pk returns what the ORM returns, for the hot paths that use it."""

import pytest

from conftest import make_account
from homeward.accounts.models import Account
from homeward.lib.rows import get_by_pk


def _values(obj, fields=None):
    names = [f.attname for f in obj._meta.concrete_fields if fields is None or f.attname in fields or f.name in fields]
    return {name: getattr(obj, name) for name in names}


def test_an_account_is_the_orms_account(db):
    account = make_account("vera", admin=True)
    orm = Account.objects.filter(pk=account.pk).get()

    fast = get_by_pk(Account, account.pk)

    assert fast == orm
    assert _values(fast) == _values(orm)
    assert all(type(getattr(fast, k)) is type(v) for k, v in _values(orm).items())
    assert fast._state.adding is False and fast._state.db == orm._state.db
    assert fast.get_session_auth_hash() == orm.get_session_auth_hash()


def test_the_manager_uses_it_for_a_lookup_by_primary_key_only(db):
    account = make_account("vera")
    assert Account.objects.get(pk=account.pk) == account
    assert Account.objects.get(handle="vera") == account
    with pytest.raises(Account.DoesNotExist):
        Account.objects.get(pk=account.pk + 1000)
    with pytest.raises(ValueError):
        Account.objects.get(pk="not a number")
