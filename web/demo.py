"""Demo accounts for ``make demo``: one per role, with known passwords, printed for the user.

For demonstrations only: anyone who reads the Makefile knows these passwords. Running it again
resets them. Usage: ``python -m web.demo --store data/demo.lbug``.
"""

from __future__ import annotations

import click

from graphdb import GraphStore, open_store
from web.accounts import Scopes, create_account
from web.passwords import Hasher

__all__ = ["DEMO_ACCOUNTS", "ensure_demo_accounts", "main"]

#: username -> (role, display name, password, scope). The contributor reports for the partner
#: municipalities in Benin and Senegal.
DEMO_ACCOUNTS: dict[str, tuple[str, str, str, dict[str, tuple[str, ...]]]] = {
    "viewer": ("viewer", "Demo leadership", "demo-viewer-pw", {}),
    "partner": (
        "contributor",
        "Demo partner",
        "demo-partner-pw",
        {
            "partners": ("partner.partner-municipalities",),
            "countries": ("country.bj", "country.sn"),
        },
    ),
    "me": ("me_officer", "Demo M&E officer", "demo-me-officer-pw", {}),
    "admin": ("admin", "Demo administrator", "demo-admin-pw", {}),
}


def ensure_demo_accounts(store: GraphStore, hasher: Hasher) -> None:
    """Create the demo accounts, or give existing ones their demo role, scope and password."""
    plan = store.load_plan()
    for username, (role, name, password, scope) in DEMO_ACCOUNTS.items():
        known = Scopes(
            partners=tuple(i for i in scope.get("partners", ()) if plan.get(i)),
            partnerships=tuple(i for i in scope.get("partnerships", ()) if plan.get(i)),
            countries=tuple(i for i in scope.get("countries", ()) if plan.get(i)),
        )
        if store.get_account(username) is None:
            create_account(store, hasher, username, password, role, display_name=name, **known)
            continue
        store.set_role(username, role)
        store.set_display_name(username, name)
        store.set_scopes(username, **known)
        store.set_disabled(username, False)
        store.set_password_hash(username, hasher.hash(password))


@click.command()
@click.option("--store", "location", envvar="TOC_STORE", required=True, help="Store location.")
def main(location: str) -> None:
    """Create or reset the demo accounts and print them."""
    with open_store(location) as store:
        ensure_demo_accounts(store, Hasher())
    click.echo("\nDemo accounts (demo only: these passwords are public):")
    for username, (role, _name, password, scope) in DEMO_ACCOUNTS.items():
        extra = f"  scope: {', '.join(i for ids in scope.values() for i in ids)}" if scope else ""
        click.echo(f"  {username:<8} {password:<20} {role}{extra}")


if __name__ == "__main__":
    main()
