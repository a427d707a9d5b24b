"""The account part of every store: the same tests on each engine (``store`` fixture)."""

from __future__ import annotations

import pytest

from graphdb.account_store import Account, AccountExists, AccountNotFound
from graphdb.store import StoreError


def _account(username: str = "ana", role: str = "contributor", **kw) -> Account:
    return Account(username, "$argon2id$fake", role, created_at="2027-01-01T00:00:00+00:00", **kw)


def test_add_get_and_list(store):
    store.add_account(_account("bob", "viewer", display_name="Bob"))
    store.add_account(_account("ana", partners=("enabel",), countries=("be",)))
    assert store.get_account("ana") == _account("ana", partners=("enabel",), countries=("be",))
    assert [a.username for a in store.accounts()] == ["ana", "bob"]
    assert store.get_account("bob").name == "Bob"
    assert store.get_account("nobody") is None


def test_usernames_are_unique(store):
    store.add_account(_account())
    with pytest.raises(AccountExists):
        store.add_account(_account(role="admin"))
    assert store.get_account("ana").role == "contributor"


def test_role_scopes_name_password_and_disable(store):
    store.add_account(_account(partners=("enabel",)))
    store.set_role("ana", "me_officer")
    store.set_scopes("ana", partnerships=("tw1", "tw1"), countries=("bf", "be"))
    store.set_display_name("ana", "Ana N.")
    store.set_disabled("ana", True)
    got = store.get_account("ana")
    assert (got.role, got.partners, got.partnerships, got.countries) == (
        "me_officer",
        (),
        ("tw1",),
        ("be", "bf"),
    )
    assert got.display_name == "Ana N." and got.disabled
    store.set_disabled("ana", False)
    store.set_password_hash("ana", "$argon2id$other")
    assert store.get_account("ana").password_hash == "$argon2id$other"
    assert not store.get_account("ana").disabled


def test_unknown_role_is_refused(store):
    store.add_account(_account())
    with pytest.raises(StoreError, match="unknown role"):
        store.set_role("ana", "superuser")
    with pytest.raises(StoreError, match="unknown role"):
        _account(role="root")


def test_failed_logins_count_lock_and_reset(store):
    store.add_account(_account())
    assert store.record_login_failure("ana") == 1
    assert store.record_login_failure("ana", locked_until="2030-01-01T00:00:00+00:00") == 2
    assert store.record_login_failure("ana") == 3
    assert store.get_account("ana").locked_until == "2030-01-01T00:00:00+00:00"
    store.record_login_success("ana", at="2027-02-01T10:00:00+00:00")
    got = store.get_account("ana")
    assert (got.failed_logins, got.locked_until, got.last_login) == (
        0,
        "",
        "2027-02-01T10:00:00+00:00",
    )
    store.record_login_failure("ana", locked_until="2030-01-01T00:00:00+00:00")
    store.set_password_hash("ana", "$argon2id$new")
    assert (store.get_account("ana").failed_logins, store.get_account("ana").locked_until) == (
        0,
        "",
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.set_role("ghost", "viewer"),
        lambda s: s.set_scopes("ghost", countries=("be",)),
        lambda s: s.set_display_name("ghost", "G"),
        lambda s: s.set_password_hash("ghost", "h"),
        lambda s: s.set_disabled("ghost", True),
        lambda s: s.record_login_failure("ghost"),
        lambda s: s.record_login_success("ghost", at="2027-01-01T00:00:00+00:00"),
    ],
)
def test_unknown_account(store, call):
    with pytest.raises(AccountNotFound, match="ghost"):
        call(store)


def test_accounts_survive_plan_reloads(store, plan):
    store.save_plan(plan)
    store.add_account(_account(partners=("enabel",)))
    store.save_plan(plan.of([n for n in plan.nodes if n.id != "enabel"], plan.edges[:0]))
    assert store.get_account("ana").partners == ("enabel",)
