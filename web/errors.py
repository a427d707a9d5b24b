"""Error pages and JSON errors: one handler per HTTP error the app raises.

Pages that need a signed-in user send anonymous visitors to the sign-in form; the JSON API
answers with ``{"error": ..., "status": ...}`` instead. When the store cannot be opened (for
instance because another program holds the embedded store), the page says so with status 503.
"""

from __future__ import annotations

from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from graphdb import StoreError

__all__ = ["init_app", "wants_json"]


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(StoreError, _store)
    app.register_error_handler(HTTPException, _http)


def wants_json() -> bool:
    """True for the JSON API (its paths start with /api/)."""
    return request.path.startswith("/api/")


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood.")),
        403: (_("Not allowed"), _("Your account may not open this page or do this.")),
        404: (_("Not found"), _("There is nothing at this address.")),
        405: (_("Not allowed"), _("This address does not accept this kind of request.")),
        413: (_("Too large"), _("The upload is too large.")),
        429: (_("Too many attempts"), _("Too many attempts; please wait and try again.")),
        500: (_("Something went wrong"), _("The server could not complete the request.")),
    }


def _http(error: HTTPException) -> Response | tuple[str | Response, int]:
    code = error.code or 500
    if code == 401:
        if wants_json():
            return jsonify(error="sign-in required", status=401), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    title, message = _messages().get(code, (error.name, error.description or ""))
    if wants_json():
        response = jsonify(error=error.description or error.name, status=code)
        return response, code
    page = render_template("errors/error.html", code=code, title=title, message=message)
    return page, code


def _csrf(error: CSRFError) -> tuple[str | Response, int]:
    if wants_json():
        return jsonify(error=f"CSRF check failed: {error.description}", status=400), 400
    message = _("The form was out of date or incomplete. Go back, reload the page and try again.")
    page = render_template("errors/error.html", code=400, title=_("Form expired"), message=message)
    return page, 400


def _store(error: StoreError) -> tuple[str | Response, int]:
    if wants_json():
        return jsonify(error=f"store unavailable: {error}", status=503), 503
    page = render_template(
        "errors/error.html",
        code=503,
        title=_("Data store unavailable"),
        message=_("The data store cannot be used right now: %(reason)s", reason=str(error)),
        bare=True,
    )
    return page, 503
