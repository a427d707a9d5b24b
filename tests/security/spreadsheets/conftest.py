"""The web app fixtures (a fresh store per test, accounts, a client that signs in) for the
hostile-input tests."""

from tests.web.conftest import app, auth, client, store_path, template_store  # noqa: F401
