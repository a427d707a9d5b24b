"""``toc serve``: run the web app with waitress, a production WSGI server in pure Python.

Waitress serves requests from a pool of threads, so many users (and the load benchmark's
concurrent clients) are answered at once; it needs nothing compiled and works offline.
"""

from __future__ import annotations

import click

from cli.context import Context, pass_ctx

__all__ = ["serve"]


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    envvar="TOC_HOST",
    help="Address to listen on (0.0.0.0: every interface).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    envvar="TOC_PORT",
    type=int,
    help="Port to listen on.",
)
@click.option(
    "--threads",
    default=16,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Requests served at once.",
)
@pass_ctx
def serve(ctx: Context, host: str, port: int, threads: int) -> None:
    """Serve the web app on the store until stopped with Ctrl-C.

    With the embedded store, the app holds it while it runs: `toc` commands that write
    (load, users, indicators) must wait until it stops; the app's pages do the same work.

    Example: toc --store data/demo.lbug serve --port 8000
    """
    from waitress import serve as waitress_serve

    from graphdb import StoreError
    from web import create_app
    from web.store import get_store

    app = create_app({"TOC_STORE": ctx.location})
    with app.app_context():
        try:
            version = get_store().plan_version()
        except StoreError as e:
            raise click.ClickException(str(e)) from None
    click.echo(f"Pathways on http://{host}:{port}/ (store {ctx.location}, plan version {version})")
    click.echo("The app holds the store while it runs; stop it with Ctrl-C.")
    waitress_serve(app, host=host, port=port, threads=threads, ident="Pathways")
