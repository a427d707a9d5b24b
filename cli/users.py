"""``toc users``: manage the web app's accounts from the command line.

Accounts live in the credential store (:mod:`graphdb.credentials`), not in the plan graph,
and the plan is only read (to check scopes), so these commands also work while the web app
runs: a disabled account, a new password or ``end-sessions`` ends the account's sessions in
the running app at once.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cli.context import Context, pass_ctx
from cli.errors import domain_errors
from graphdb.account_store import ROLES
from graphdb.store import GraphStore
from web.accounts import check_password, create_account, scope_problems

__all__ = ["users"]


def _store(ctx: Context) -> GraphStore:
    """The store of the `toc` invocation (its context object opens it), read-only: accounts
    are written to its credential store, which the web app shares."""
    return ctx.store(read_only=True)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


_SCOPE_OPTIONS = [
    click.option("--partner", "partners", multiple=True, metavar="ID", help="Partner (repeat)."),
    click.option(
        "--partnership", "partnerships", multiple=True, metavar="ID", help="Partnership (repeat)."
    ),
    click.option("--country", "countries", multiple=True, metavar="ID", help="Country (repeat)."),
]


def _scope_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_SCOPE_OPTIONS):
        fn = option(fn)
    return fn


@click.group()
def users() -> None:
    """Manage the accounts of the web app.

    Roles: viewer (reads everything), contributor (submits values for its partners,
    partnerships and countries), me_officer (all indicators, reviews, edits the plan),
    admin (also manages accounts).

    Example: toc users add ana --role contributor --partner enabel
    """


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="The account's role.")
@click.option("--name", "display_name", default="", help="Name shown in the app.")
@_scope_options
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_ctx
@domain_errors
def add(
    ctx: Context,
    username: str,
    role: str,
    display_name: str,
    partners: tuple[str, ...],
    partnerships: tuple[str, ...],
    countries: tuple[str, ...],
    password_stdin: bool,
) -> None:
    """Add an account; asks for its password (at least 10 characters).

    Scope ids must be partners, partnerships and countries of the stored plan.

    Example: toc users add ana --role contributor --partner enabel --country bf
    """
    from web.passwords import Hasher

    store = _store(ctx)
    password = _read_password(password_stdin)
    account = create_account(
        store,
        Hasher(),
        username,
        password,
        role,
        display_name=display_name,
        partners=partners,
        partnerships=partnerships,
        countries=countries,
        plan=store.load_plan(),
    )
    click.echo(f"Added {account.username} ({account.role}).")


@users.command("list")
@pass_ctx
@domain_errors
def list_(ctx: Context) -> None:
    """List the accounts: username, role, state, scope, last sign-in.

    Example: toc users list
    """
    accounts = _store(ctx).accounts()
    for a in accounts:
        state = "disabled" if a.disabled else "active"
        scope = ",".join((*a.partners, *a.partnerships, *a.countries)) or "-"
        click.echo(f"{a.username:<20} {a.role:<12} {state:<9} {scope:<30} {a.last_login or '-'}")
    click.echo(f"({len(accounts)} account{'s' if len(accounts) != 1 else ''})")


@users.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@pass_ctx
@domain_errors
def set_role(ctx: Context, username: str, role: str) -> None:
    """Change an account's role.

    Example: toc users set-role ana me_officer
    """
    _store(ctx).set_role(username, role)
    click.echo(f"{username} is now {role}.")


@users.command("set-scope")
@click.argument("username")
@_scope_options
@pass_ctx
@domain_errors
def set_scope(
    ctx: Context,
    username: str,
    partners: tuple[str, ...],
    partnerships: tuple[str, ...],
    countries: tuple[str, ...],
) -> None:
    """Replace the partners, partnerships and countries a contributor reports on.

    Example: toc users set-scope ana --partner enabel --country bf
    """
    store = _store(ctx)
    scopes = {"partners": partners, "partnerships": partnerships, "countries": countries}
    problems = scope_problems(store.load_plan(), **scopes)
    if problems:
        field, node_id = problems[0]
        raise click.ClickException(f"{node_id!r} is not one of the plan's {field}")
    store.set_scopes(username, **scopes)
    click.echo(f"Scope of {username}: {', '.join((*partners, *partnerships, *countries)) or '-'}")


@users.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_ctx
@domain_errors
def set_password(ctx: Context, username: str, password_stdin: bool) -> None:
    """Give an account a new password (ends its sessions, lifts a sign-in lockout).

    Example: toc users set-password ana
    """
    from web.passwords import Hasher

    store = _store(ctx)
    if store.get_account(username) is None:
        raise click.ClickException(f"no account named {username!r}")
    password = _read_password(password_stdin)
    check_password(password, username)
    store.set_password_hash(username, Hasher().hash(password))
    click.echo(f"Password of {username} changed; its sessions ended.")


@users.command("disable")
@click.argument("username")
@pass_ctx
@domain_errors
def disable(ctx: Context, username: str) -> None:
    """Disable an account: it can no longer sign in, and its sessions end.

    Example: toc users disable ana
    """
    _store(ctx).set_disabled(username, True)
    click.echo(f"{username} is disabled; its sessions ended.")


@users.command("enable")
@click.argument("username")
@pass_ctx
@domain_errors
def enable(ctx: Context, username: str) -> None:
    """Enable a disabled account again.

    Example: toc users enable ana
    """
    _store(ctx).set_disabled(username, False)
    click.echo(f"{username} is enabled.")


@users.command("end-sessions")
@click.argument("username")
@pass_ctx
@domain_errors
def end_sessions(ctx: Context, username: str) -> None:
    """Sign an account out everywhere: end all its sessions (e.g. after a lost laptop). It
    can sign in again with its password.

    Example: toc users end-sessions ana
    """
    store = _store(ctx)
    if store.get_account(username) is None:
        raise click.ClickException(f"no account named {username!r}")
    count = store.credentials.end_sessions(username)
    click.echo(f"Ended {count} session{'s' if count != 1 else ''} of {username}.")


@users.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@pass_ctx
@domain_errors
def backup(ctx: Context, file: str) -> None:
    """Copy the accounts and sessions (the store's credential file) to FILE, a new file
    readable by you only; safe while the web app runs. `-` writes the copy to standard
    output. Restore by putting the copy in place of the credential file, with the app
    stopped.

    Example: toc users backup backups/credentials-2027-01-31.sqlite
    """
    credentials = _store(ctx).credentials
    if file != "-":
        credentials.backup(file)
        click.echo(f"Accounts copied to {file} (from {credentials.path}).", err=True)
        return
    with tempfile.TemporaryDirectory(prefix="pathways-backup-") as folder:
        copy = Path(folder) / "credentials.sqlite"
        credentials.backup(copy)
        sys.stdout.buffer.write(copy.read_bytes())
        sys.stdout.buffer.flush()
