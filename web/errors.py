"""Error pages and JSON errors: one handler per HTTP error the app raises.

Pages that need a signed-in user send anonymous visitors to the sign-in form; the JSON API
answers with ``{"error": ..., "status": ...}`` instead. A domain or store error that a view
did not handle itself gets the status of what went wrong (:func:`domain_answer`), never a
generic 500 or 503: a revision conflict is 409, an unknown account 404, a query stopped at
its time limit 400, and only a store that cannot be opened or is held by another program
(for instance ``toc load`` on the embedded store) is 503, with ``Retry-After`` when it is
merely busy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from graphdb.account_store import AccountExists, AccountNotFound
from graphdb.errors import QueryTimeout, StoreError, StoreLocked
from graphdb.indicator_store import IndicatorsInUse, RevisionConflict
from indicators.errors import (
    ConflictError,
    IndicatorError,
    PermissionDenied,
    UnknownIndicator,
    WorkflowError,
)
from toc.analysis import NodeNotFound
from toc.errors import PlanConflict, PlanError
from web.labels import workflow_text

__all__ = ["DomainAnswer", "domain_answer", "init_app", "wants_json"]

#: Seconds a client is asked to wait when another program holds the store.
RETRY_LOCKED_SECONDS = 10


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf)
    for error in (StoreError, PlanError, IndicatorError):
        app.register_error_handler(error, _domain)
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


@dataclass(frozen=True)
class DomainAnswer:
    """How the app answers an error a view did not handle: status, page title and message
    (in the request's language), and the JSON error text (English, for programs)."""

    status: int
    title: str
    message: str
    json_error: str
    headers: dict[str, str] = field(default_factory=dict)


def domain_answer(error: Exception) -> DomainAnswer:
    """The answer for a store or domain error, by its class (the most specific first)."""
    text = str(error)
    if isinstance(error, RevisionConflict | ConflictError):
        return DomainAnswer(
            409,
            _("Changed meanwhile"),
            _(
                "Someone else recorded values at the same time, so nothing of yours was written. "
                "Go back, reload the page and try again."
            ),
            f"conflict: {text}",
        )
    if isinstance(error, PlanConflict):
        return DomainAnswer(
            409,
            _("Changed meanwhile"),
            _(
                "Someone else saved the plan at the same time, so nothing of yours was "
                "saved. Go back, reload the page and try again."
            ),
            f"conflict: {text}",
        )
    if isinstance(error, IndicatorsInUse):
        return DomainAnswer(
            409,
            _("Indicators measure these nodes"),
            _(
                "The change would remove or change the kind of nodes that indicators measure "
                "(%(nodes)s); nothing was changed. Change those indicators first.",
                nodes=", ".join(sorted(error.measured)),
            ),
            text,
        )
    if isinstance(error, AccountExists):
        return DomainAnswer(
            409,
            _("Account exists"),
            _("An account named %(name)s exists already.", name=error.username),
            text,
        )
    if isinstance(error, AccountNotFound):
        return DomainAnswer(
            404, _("Not found"), _("There is no account named %(name)s.", name=error.username), text
        )
    if isinstance(error, NodeNotFound):
        return DomainAnswer(
            404, _("Not found"), _("The plan has no node %(id)s.", id=error.node_id), text
        )
    if isinstance(error, UnknownIndicator):
        return DomainAnswer(
            404, _("Not found"), _("There is no indicator %(code)s.", code=error.code), text
        )
    if isinstance(error, PermissionDenied):
        title, message = _messages()[403]
        return DomainAnswer(403, title, message, text)
    if isinstance(error, WorkflowError):
        return DomainAnswer(400, _("Not possible"), workflow_text(error), text)
    if isinstance(error, QueryTimeout):
        return DomainAnswer(
            400,
            _("Query stopped"),
            _(
                "The query ran longer than its time limit and was stopped; nothing was "
                "returned. Narrow it down (fewer paths, a LIMIT) and try again."
            ),
            text,
        )
    if isinstance(error, PlanError | IndicatorError):
        return DomainAnswer(
            400, _("Not possible"), _("This cannot be done: %(reason)s", reason=text), text
        )
    if isinstance(error, StoreLocked):
        return DomainAnswer(
            503,
            _("Data store unavailable"),
            _("The data store cannot be used right now: %(reason)s", reason=text),
            f"store unavailable: {text}",
            {"Retry-After": str(RETRY_LOCKED_SECONDS)},
        )
    return DomainAnswer(
        503,
        _("Data store unavailable"),
        _("The data store cannot be used right now: %(reason)s", reason=text),
        f"store unavailable: {text}",
    )


def _domain(error: Exception) -> tuple[str | Response, int, dict[str, str]]:
    answer = domain_answer(error)
    if wants_json():
        body = jsonify(error=answer.json_error, status=answer.status)
        return body, answer.status, answer.headers
    page = render_template(
        "errors/error.html",
        code=answer.status,
        title=answer.title,
        message=answer.message,
        # The overview needs the store: no link to it when the store is what failed.
        bare=answer.status == 503,
    )
    return page, answer.status, answer.headers
