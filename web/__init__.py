"""The Pathways web app: pathway diagrams coloured by progress, node pages, accounts, a JSON API.

Build it with :func:`create_app`; serve it with any WSGI server, e.g.::

    TOC_STORE=data/demo.lbug waitress-serve --threads 16 --call web:create_app

Configuration comes from the environment (see :mod:`web.settings`); tests pass a mapping.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """A new app: configuration, store, languages, security, accounts and every area."""
    from flask import Flask

    from web import (
        access,
        admin,
        api,
        api_indicators,
        auth,
        concurrency,
        definition_pages,
        dimension_labels,
        downloads,
        errors,
        form_numbers,
        i18n,
        import_reasons,
        imports,
        indicator_pages,
        labels,
        learning,
        nodes,
        overview,
        page_cache,
        pathways,
        plan_pages,
        queries,
        report_pages,
        review,
        security,
        settings,
        statuses,
        store,
    )

    app = Flask(__name__, instance_path=os.environ.get("TOC_INSTANCE") or None)
    settings.configure(app, test_config)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    store.init_app(app)
    statuses.init_app(app)
    page_cache.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    import_reasons.init_app(app)
    dimension_labels.init_app(app)
    form_numbers.init_app(app)
    security.init_app(app)
    access.init_app(app)
    errors.init_app(app)
    auth.init_app(app)
    app.register_blueprint(overview.bp)
    pathways.init_app(app)
    app.register_blueprint(nodes.bp)
    app.register_blueprint(learning.bp)
    app.register_blueprint(learning.outcomes_bp)
    app.register_blueprint(indicator_pages.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(admin.bp)
    imports.init_app(app)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(queries.bp)
    app.register_blueprint(report_pages.bp)
    plan_pages.init_app(app)
    app.register_blueprint(definition_pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_indicators.bp)
    access.check_routes(app)
    setting = app.config.get("MAX_CONCURRENT_REQUESTS")
    limit = concurrency.default_limit(app.config["TOC_STORE"]) if setting is None else int(setting)
    if limit > 0:
        app.wsgi_app = concurrency.ConcurrencyLimit(app.wsgi_app, limit)  # type: ignore[method-assign]
    return app
