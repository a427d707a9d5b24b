"""Files to download: the ready-to-fill template, every measurement (long format, importable
again) and the indicator performance tracking table (IPTT) of each objective.

The template (contributors, M&E officers and admins) holds the indicators the user may enter
values for, in the chosen language. The exports and the IPTT are read data, as the pages are:
everyone signed in may download them. Files are built in memory from the store as it is now
(:mod:`indicators.template`, :mod:`indicators.export`), every cell through
:mod:`indicators.cells`: text a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Response, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from indicators.export import iptt_frame, measurement_rows, pathway_below, write_frames
from indicators.model import Indicator
from indicators.template import write_template
from toc.model import Node
from web.access import requires
from web.i18n import current_lang
from web.scope import concerned
from web.statuses import current_plan_status
from web.store import current_plan, get_store
from web.template_words import template_words

__all__ = ["bp", "objectives_with_indicators"]

bp = Blueprint("downloads", __name__, url_prefix="/downloads")

_MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _file(write: Callable[[Path], object], name: str) -> Response:
    """A file written by ``write`` to a temporary path, sent as an attachment."""
    with tempfile.TemporaryDirectory(prefix="pathways-") as tmp:
        path = Path(tmp) / name
        write(path)
        data = path.read_bytes()
    ext = name.rsplit(".", 1)[1]
    return send_file(io.BytesIO(data), mimetype=_MIME[ext], as_attachment=True, download_name=name)


def _submittable() -> list[Indicator]:
    """The indicators the signed-in user may enter values for."""
    plan = current_plan()
    result = current_plan_status()
    return [
        s.indicator
        for s in result.indicators.values()
        if current_user.in_scope(concerned(plan, s.indicator.measures))
    ]


def objectives_with_indicators() -> list[tuple[tuple[Node, bool], list[tuple[Node, bool]]]]:
    """(strategic objective, its objectives) in plan order, keeping those whose pathway some
    indicator measures; each node is paired with whether it has indicators."""
    plan = current_plan()
    result = current_plan_status()
    measured = set(result.measured_by)

    def has(node_id: str) -> bool:
        return bool(measured & set(pathway_below(plan, node_id)))

    out = []
    sos = sorted(plan.of_kind("StrategicObjective"), key=lambda n: (n.props.get("number", 0), n.id))
    for so in sos:
        objectives = sorted(
            (
                plan.node(e.source)
                for e in plan.edges_of_kind("CONTRIBUTES_TO")
                if e.target == so.id
                and plan.get(e.source)
                and plan.node(e.source).kind == "Objective"
            ),
            key=lambda n: (n.props.get("number", 0), n.id),
        )
        out.append(((so, has(so.id)), [(o, has(o.id)) for o in objectives]))
    return out


@bp.route("")
@requires("read")
def index() -> str:
    """Every download: template, measurements, IPTT per objective."""
    return render_template(
        "downloads/index.html",
        objectives=objectives_with_indicators(),
        can_submit=current_user.can("submit"),
    )


@bp.route("/template.xlsx")
@requires("submit")
def template() -> WerkzeugResponse:
    """The ready-to-fill template of the user's indicators."""
    chosen = _submittable()
    if not chosen:
        flash(_("No indicator concerns your partners, partnerships or countries yet."), "info")
        return redirect(url_for("downloads.index"))
    lang = current_lang()
    root = current_plan().root
    title = _("Measurements: %(plan)s", plan=root.title.get(lang)) if root else _("Measurements")
    words = template_words()
    return _file(
        lambda path: write_template(chosen, path, lang=lang, title=title, words=words),
        "pathways-template.xlsx",
    )


@bp.route("/measurements.<any(csv, xlsx):ext>")
@requires("read")
def measurements(ext: str) -> Response:
    """Every measurement's latest revision, in long format."""
    store = get_store()
    indicators = store.indicators()
    frame = measurement_rows(store.revision_frame(), indicators)
    illustrative = bool(frame["illustrative"].any()) if len(frame) else False
    return _file(
        lambda path: write_frames({"Measurements": frame}, path, illustrative=illustrative),
        f"pathways-measurements.{ext}",
    )


@bp.route("/iptt/<node_id>.<any(csv, xlsx):ext>")
@requires("read")
def iptt(node_id: str, ext: str) -> Response:
    """The IPTT of one objective (or strategic objective)."""
    plan = current_plan()
    node = plan.get(node_id)
    result = current_plan_status()
    if node is None or node.kind not in ("StrategicObjective", "Objective"):
        abort(404)
    revisions = get_store().revision_frame(status="approved", before=result.before)
    frame = iptt_frame(result, plan, revisions, node_id, lang=current_lang())
    illustrative = bool(frame["illustrative"].any()) if len(frame) else False
    return _file(
        lambda path: write_frames({node_id: frame}, path, illustrative=illustrative),
        f"pathways-iptt-{node_id}.{ext}",
    )
