"""The Users page: admins add and change accounts; nobody else can."""

from __future__ import annotations

import pytest

from tests.web.conftest import PASSWORD, csrf_token
from web.store import get_store


@pytest.fixture
def admin(client, auth):
    auth.login_as("admin")
    return client


def _form(client, path: str, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


def test_users_page_lists_accounts(admin):
    text = admin.get("/admin/users").get_data(as_text=True)
    for name in ("viewer", "contributor", "me", "admin"):
        assert f'href="/admin/users/{name}"' in text
    assert "<td>Enabel</td>" in text and "M&amp;E officer" in text


def test_add_a_contributor(app, admin, auth):
    response = _form(
        admin,
        "/admin/users",
        username="Ana",
        display_name="Ana Peeters",
        role="contributor",
        password="a long password",
        partners="enabel",
        countries="be",
    )
    assert response.status_code == 302
    assert b"Account ana added." in admin.get("/admin/users").data
    with app.app_context():
        ana = get_store().get_account("ana")
    assert (ana.role, ana.partners, ana.countries, ana.name) == (
        "contributor",
        ("enabel",),
        ("be",),
        "Ana Peeters",
    )
    auth.logout()
    assert auth.login("ana", "a long password").status_code == 302


def test_add_shows_problems_next_to_the_fields(admin):
    text = _form(
        admin, "/admin/users", username="bad name!", role="viewer", password="short"
    ).get_data(as_text=True)
    assert "Use 1-64 letters" in text
    text = _form(
        admin, "/admin/users", username="newone", role="viewer", password="short"
    ).get_data(as_text=True)
    assert "Too short: use at least 10 characters." in text and 'aria-invalid="true"' in text
    text = _form(
        admin, "/admin/users", username="viewer", role="viewer", password="long enough pw"
    ).get_data(as_text=True)
    assert "This username is taken." in text
    text = _form(
        admin, "/admin/users", username="x1", role="king", password="long enough pw"
    ).get_data(as_text=True)
    assert "Not a valid choice" in text
    text = _form(
        admin, "/admin/users", username="x2", role="viewer", password="long enough pw",
        partners="nope",
    ).get_data(as_text=True)  # fmt: skip
    assert "Not a valid choice" in text or "not a valid choice" in text.lower()


def test_edit_role_scope_password_and_disable(app, admin, auth):
    response = _form(
        admin,
        "/admin/users/viewer",
        display_name="Vera",
        role="contributor",
        countries="be",
        new_password="another long one",
        disabled="y",
    )
    assert response.status_code == 302
    with app.app_context():
        vera = get_store().get_account("viewer")
    assert (vera.role, vera.countries, vera.disabled, vera.display_name) == (
        "contributor",
        ("be",),
        True,
        "Vera",
    )
    auth.logout()
    assert b"This account is disabled" in auth.login("viewer", "another long one").data


def test_admin_cannot_demote_or_disable_themself(app, admin):
    text = _form(admin, "/admin/users/admin", role="viewer").get_data(as_text=True)
    assert "You cannot change your own role or disable yourself." in text
    with app.app_context():
        assert get_store().get_account("admin").role == "admin"


def test_edit_unknown_account_is_404(admin):
    assert admin.get("/admin/users/ghost").status_code == 404


def test_others_cannot_post_to_the_users_page(client, auth, app):
    auth.login_as("me_officer")
    response = _form(client, "/", username="sneaky", role="admin", password=PASSWORD)
    assert response.status_code == 405
    token = csrf_token(client, "/")
    response = client.post(
        "/admin/users",
        data={"csrf_token": token, "username": "sneaky", "role": "admin", "password": PASSWORD},
    )
    assert response.status_code == 403
    with app.app_context():
        assert get_store().get_account("sneaky") is None
