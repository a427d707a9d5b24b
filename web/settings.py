"""Configuration of the web app: defaults, the environment, the instance folder's secret key.

Environment variables (all optional):

``TOC_STORE``
    Store location (a file for the embedded store, or a ``neo4j://`` URL); default
    ``data/pathways.lbug``.
``SECRET_KEY``
    Key that signs session cookies. Without it a random key is made once and kept in the
    instance folder (``instance/secret_key``, readable by its owner only), so sessions survive
    restarts. Several app processes must share one key.
``TOC_HTTPS``
    ``1`` when users reach the app over https (directly or through a proxy): cookies are then
    sent over https only.
``TOC_FOUR_EYES``
    ``refuse`` makes an approval by the value's own submitter a refusal; ``warn`` (the
    default, also ``[workflow] four_eyes`` in the settings file) records it with a warning.
``TOC_TRUSTED_PROXIES``
    How many reverse proxies stand in front of the app; their ``X-Forwarded-*`` headers are
    then trusted for the client address (login rate limits) and the scheme.
``TOC_INSTANCE``
    The instance folder (default ``instance/`` beside the ``web`` package).
``TOC_IMPORT_MAX_BYTES`` and the other ``TOC_IMPORT_MAX_*``
    Limits on import files (the ``IMPORT_MAX_*`` defaults below); the request size limit
    grows with the first.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from graphdb import default_location
from graphdb.config import four_eyes_rule

__all__ = ["DEFAULTS", "configure", "secret_key"]

DEFAULTS: dict[str, Any] = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "pathways_session",
    "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=8),
    # A session lasts a working day from sign-in; not re-signing the cookie on every
    # response saves a signature and a Set-Cookie header per request.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    # Languages of the interface; the first is used when the browser asks for neither.
    "LANGUAGES": ("nl", "en"),
    # Times are stored in UTC and shown in this time zone.
    "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
    # Sign-in policy: consecutive failures before an account is locked, and for how long;
    # failed attempts per client address in a sliding window before it gets 429.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_MINUTES": 15,
    "LOGIN_IP_MAX_FAILURES": 20,
    "LOGIN_IP_WINDOW_SECONDS": 600,
    # Password hashing cost: "standard" (argon2id, RFC 9106 low-memory profile) or "fast"
    # (tests only: cheap parameters).
    "PASSWORD_HASHING": "standard",
    # Data read from the store is cached; the app's own writes refresh it at once, other
    # programs' writes (a shared Neo4j store) are seen after at most this many seconds.
    "STORE_RECHECK_SECONDS": 2.0,
    # A store other processes write (Neo4j): its data version is read once per request, but
    # at most once in this many seconds per process (0: on every request). Another process's
    # write is seen after at most this long; the app's own writes at once.
    "STORE_VERSION_SECONDS": 0.0,
    # Imports: uploaded files are kept (in the instance folder's "uploads") between the check
    # and the confirmation, at most this large and this long. A workbook may inflate to at most
    # IMPORT_MAX_PART_BYTES per part and IMPORT_MAX_INFLATED_BYTES in all, have at most
    # IMPORT_MAX_PARTS parts, each part over 1 MB compressed at most IMPORT_MAX_RATIO times,
    # and its sheet span at most IMPORT_MAX_CELLS cells (indicators/file_limits.py). Each can
    # be set with the environment variable of the same name prefixed TOC_.
    "IMPORT_MAX_BYTES": 10 * 1024 * 1024,
    "IMPORT_MAX_AGE_SECONDS": 3600,
    "IMPORT_MAX_PART_BYTES": 200 * 1024 * 1024,
    "IMPORT_MAX_INFLATED_BYTES": 300 * 1024 * 1024,
    "IMPORT_MAX_PARTS": 1_000,
    "IMPORT_MAX_RATIO": 200,
    "IMPORT_MAX_CELLS": 5_000_000,
    # Requests running the app's code at once, whatever the server's threads (web/concurrency.py);
    # 0: no limit; None: by the store's engine (4 embedded, 8 Neo4j).
    "MAX_CONCURRENT_REQUESTS": None,
    # Rendered page blocks kept in memory (web/page_cache.py); 0 turns the cache off.
    "PAGE_CACHE_SIZE": 256,
    # Rendered diagrams kept in memory (per plan version, statuses, filters, language, format).
    "DIAGRAM_CACHE_SIZE": 64,
}


#: Import limits an operator may set with ``TOC_<KEY>`` (see ``DEFAULTS``).
_IMPORT_LIMITS = (
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_PART_BYTES",
    "IMPORT_MAX_INFLATED_BYTES",
    "IMPORT_MAX_PARTS",
    "IMPORT_MAX_RATIO",
    "IMPORT_MAX_CELLS",
)


def configure(app: Flask, test_config: Mapping[str, Any] | None = None) -> None:
    """Fill ``app.config`` from the defaults, the environment and ``test_config``."""
    app.config.update(DEFAULTS)
    env = os.environ
    app.config["TOC_STORE"] = default_location()
    https = env.get("TOC_HTTPS", "").strip().lower() in ("1", "true", "yes")
    app.config["SESSION_COOKIE_SECURE"] = https
    app.config["REMEMBER_COOKIE_SECURE"] = https
    app.config["PREFERRED_URL_SCHEME"] = "https" if https else "http"
    app.config["TRUSTED_PROXIES"] = int(env.get("TOC_TRUSTED_PROXIES") or 0)
    if env.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = env["SECRET_KEY"]
    for key in _IMPORT_LIMITS:
        if (env.get("TOC_" + key) or "").strip():
            app.config[key] = env["TOC_" + key].strip()
    # The four-eyes rule on approvals (graphdb.config.four_eyes_rule): "warn" or "refuse".
    app.config["FOUR_EYES"] = four_eyes_rule()
    if test_config:
        app.config.update(test_config)
    # A request may carry the largest upload allowed, and the form around it.
    limit = int(app.config["IMPORT_MAX_BYTES"]) + 1024 * 1024
    app.config["MAX_CONTENT_LENGTH"] = max(int(app.config["MAX_CONTENT_LENGTH"] or 0), limit)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(Path(app.instance_path))


def secret_key(instance: Path) -> str:
    """The key kept in ``instance/secret_key``, made (random, owner-only file) when absent."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it meanwhile
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(
            f"{path}: the secret key is too short; delete the file to make a new one"
        )
    return key
