"""`toc users`: accounts from the command line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from cli.main import cli
from graphdb.ladybug_store import LadybugStore
from tests.conftest import small_plan
from web.passwords import Hasher


@pytest.fixture
def run(tmp_path):
    path = tmp_path / "users.lbug"
    store = LadybugStore(path)
    store.save_plan(small_plan())
    store.close()

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, ["--store", str(path), "users", *args], input=input)

    invoke.path = path
    return invoke


def _account(path, username):
    store = LadybugStore(path)
    try:
        return store.get_account(username)
    finally:
        store.close()


def test_every_users_command_has_help_with_an_example():
    from cli.users import users

    for name, command in users.commands.items():
        result = CliRunner().invoke(cli, ["users", name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in (command.help or ""), name


def test_add_list_and_sign_in(run):
    result = run("add", "Ana", "--role", "contributor", "--partner", "enabel", "--country", "be",
                 "--name", "Ana P.", "--password-stdin", input="a good password\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == "Added ana (contributor).\n"
    listing = run("list")
    assert "ana" in listing.output and "contributor" in listing.output
    assert "enabel,be" in listing.output and "(1 account)" in listing.output
    ana = _account(run.path, "ana")
    assert Hasher().verify(ana.password_hash, "a good password")
    assert ana.display_name == "Ana P." and ana.created_at


def test_add_prompts_for_the_password_twice(run):
    result = run("add", "bob", "--role", "viewer", input="long password 1\nlong password 1\n")
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["bad name", "--role", "viewer"], "a username has 1-64 characters"),
        (["ana", "--role", "viewer", "--partner", "be"], "'be' is not a Partner of the plan"),
    ],
)
def test_add_refuses_bad_input(run, args, message):
    result = run("add", *args, "--password-stdin", input="a good password\n")
    assert result.exit_code == 1 and message in result.output


def test_add_refuses_a_short_password_and_a_taken_name(run):
    result = run("add", "ana", "--role", "viewer", "--password-stdin", input="short\n")
    assert result.exit_code == 1 and "too short" in result.output
    run("add", "ana", "--role", "viewer", "--password-stdin", input="a good password\n")
    result = run("add", "ana", "--role", "admin", "--password-stdin", input="a good password\n")
    assert result.exit_code == 1 and "exists already" in result.output


def test_set_role_scope_password_disable_enable(run):
    run("add", "ana", "--role", "viewer", "--password-stdin", input="a good password\n")
    assert run("set-role", "ana", "me_officer").output == "ana is now me_officer.\n"
    assert run("set-scope", "ana", "--partner", "enabel").exit_code == 0
    assert run("set-scope", "ana", "--country", "enabel").exit_code == 1
    assert (
        run("set-password", "ana", "--password-stdin", input="brand new password\n").exit_code == 0
    )
    assert run("disable", "ana").output == "ana is disabled; its sessions ended.\n"
    ana = _account(run.path, "ana")
    assert (ana.role, ana.partners, ana.disabled) == ("me_officer", ("enabel",), True)
    assert Hasher().verify(ana.password_hash, "brand new password")
    assert run("enable", "ana").exit_code == 0
    assert not _account(run.path, "ana").disabled


@pytest.mark.parametrize(
    "args",
    [["set-role", "ghost", "admin"], ["disable", "ghost"], ["enable", "ghost"],
     ["set-scope", "ghost"], ["set-password", "ghost", "--password-stdin"]],
)  # fmt: skip
def test_unknown_account_is_one_clear_line(run, args):
    result = run(*args, input="a good password\n")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no account named 'ghost'"


def test_accounts_are_managed_while_the_web_app_holds_the_store(run):
    """Accounts are not in the plan store: with the store held for writing by another
    process (as the running web app holds it), `toc users` still works, and that process
    sees the change at once."""
    run("add", "ana", "--role", "viewer", "--password-stdin", input="a good password\n")
    code = (
        "import sys; from graphdb.ladybug_store import LadybugStore;"
        f"s = LadybugStore({str(run.path)!r}); print('ready', flush=True); sys.stdin.readline();"
        "print(s.get_account('ana').role, s.get_account('ana').disabled, flush=True); s.close()"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout.readline().strip() == "ready"
            assert run("set-role", "ana", "admin").output == "ana is now admin.\n"
            assert run("disable", "ana").exit_code == 0
            child.stdin.write("go\n")
            child.stdin.flush()
            assert child.stdout.readline().split() == ["admin", "True"]
        finally:
            child.kill()


def test_end_sessions_signs_an_account_out_everywhere(run):
    from graphdb.credentials import CredentialStore, credentials_path

    run("add", "ana", "--role", "viewer", "--password-stdin", input="a good password\n")
    credentials = CredentialStore(credentials_path(str(run.path)))
    try:
        tokens = [credentials.start_session("ana", lifetime=3600) for _ in range(2)]
        assert run("end-sessions", "ana").output == "Ended 2 sessions of ana.\n"
        assert [credentials.session_account(t) for t in tokens] == [None, None]
        assert run("end-sessions", "ana").output == "Ended 0 sessions of ana.\n"
        assert run("end-sessions", "ghost").output.strip() == "Error: no account named 'ghost'"
    finally:
        credentials.close()


def test_backup_is_a_private_consistent_copy(run, tmp_path):
    import sqlite3
    import stat

    run("add", "ana", "--role", "viewer", "--password-stdin", input="a good password\n")
    target = tmp_path / "backup.sqlite"
    result = run("backup", str(target))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    names = sqlite3.connect(target).execute("SELECT username FROM accounts").fetchall()
    assert names == [("ana",)]
    assert run("backup", str(target)).output.strip().endswith("exists already; choose a new file")
    piped = CliRunner().invoke(cli, ["--store", str(run.path), "users", "backup", "-"])
    assert piped.stdout_bytes.startswith(b"SQLite format 3\x00")
