"""Account rules: names, passwords, scopes and the sign-in policy, on a real store."""

from __future__ import annotations

import datetime as dt

import pytest

from graphdb.account_store import AccountExists
from graphdb.ladybug_store import LadybugStore
from tests.conftest import small_plan
from web.accounts import AccountInputError, create_account, sign_in
from web.passwords import Hasher

T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
HASHER = Hasher("fast")


@pytest.fixture
def accounts(tmp_path):
    store = LadybugStore(tmp_path / "a.lbug")
    store.save_plan(small_plan())
    create_account(store, HASHER, "ana", "a good password", "contributor", partners=("enabel",),
                   plan=small_plan(), now=T0)  # fmt: skip
    yield store
    store.close()


@pytest.mark.parametrize(
    "username, password, role, scope, field, code",
    [
        ("", "a good password", "viewer", {}, "username", "bad_username"),
        ("-ana", "a good password", "viewer", {}, "username", "bad_username"),
        ("a" * 65, "a good password", "viewer", {}, "username", "bad_username"),
        ("bob", "a good password", "root", {}, "role", "bad_role"),
        ("bob", "123456789", "viewer", {}, "password", "too_short"),
        ("bob", "x" * 1025, "viewer", {}, "password", "too_long"),
        ("bobby.tables", "Bobby.Tables", "viewer", {}, "password", "is_username"),
        ("bob", "a good password", "viewer", {"countries": ("enabel",)}, "countries",
         "unknown_scope"),
    ],
)  # fmt: skip
def test_create_account_refuses(accounts, username, password, role, scope, field, code):
    with pytest.raises(AccountInputError) as err:
        create_account(accounts, HASHER, username, password, role, plan=small_plan(), **scope)
    assert (err.value.field, err.value.code) == (field, code)


def test_create_account_stores_a_hash_never_the_password(accounts):
    ana = accounts.get_account("ana")
    assert ana.password_hash.startswith("$argon2id$") and "a good password" not in ana.password_hash
    assert ana.created_at == "2027-03-01T09:00:00+00:00"
    with pytest.raises(AccountExists):
        create_account(accounts, HASHER, "ANA", "a good password", "viewer")


def test_sign_in_outcomes(accounts):
    assert sign_in(accounts, HASHER, "ana", "a good password", now=T0).ok
    assert sign_in(accounts, HASHER, "Ana ", "a good password", now=T0).ok
    assert sign_in(accounts, HASHER, "ana", "wrong", now=T0).outcome == "invalid"
    assert sign_in(accounts, HASHER, "nobody", "wrong", now=T0).outcome == "invalid"
    assert sign_in(accounts, HASHER, "bad name!", "x", now=T0).outcome == "invalid"
    accounts.set_disabled("ana", True)
    assert sign_in(accounts, HASHER, "ana", "a good password", now=T0).outcome == "disabled"
    assert sign_in(accounts, HASHER, "ana", "wrong", now=T0).outcome == "invalid"


def test_lockout_starts_after_max_failures_and_ends_after_lock_minutes(accounts):
    for _ in range(2):
        assert (
            sign_in(accounts, HASHER, "ana", "wrong", max_failures=3, now=T0).outcome == "invalid"
        )
    third = sign_in(accounts, HASHER, "ana", "wrong", max_failures=3, lock_minutes=10, now=T0)
    assert third.outcome == "locked" and third.until == T0 + dt.timedelta(minutes=10)
    during = T0 + dt.timedelta(minutes=9)
    assert sign_in(accounts, HASHER, "ana", "a good password", now=during).outcome == "locked"
    after = T0 + dt.timedelta(minutes=10, seconds=1)
    result = sign_in(accounts, HASHER, "ana", "a good password", max_failures=3, now=after)
    assert result.ok and result.account.failed_logins == 0
    assert result.account.last_login == after.isoformat()
