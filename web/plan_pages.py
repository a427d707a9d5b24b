"""Editing the plan (M&E officers and admins): outcomes and outputs under the objectives, the
links between them (contribution links with their rationale and assumptions, SDG alignments),
assumptions, and the plan's history.

Every edit starts from the stored plan, changes one thing (:mod:`web.plan_edit`) and saves
the whole plan with ``store.save_plan``: the plan is validated and written in one transaction,
so a refused edit changes nothing, and its errors are shown next to the fields they concern.
A node that indicators measure cannot be removed (the store refuses, naming the indicators).

Edits in one app process are saved one at a time. Each form carries a fingerprint of what it
showed: when someone else changed that node or link meanwhile, the save is refused, the typed
input is kept and the form says so (saving again then replaces their version).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from graphdb.indicator_store import IndicatorsInUse
from graphdb.versions import VersionNotKept
from toc.errors import PlanError, PlanInvalid
from toc.kinds import EDGE_KINDS, NODE_KINDS
from toc.model import Edge, Node, Plan
from toc.version_notes import link_note, node_note
from web.access import requires
from web.i18n import current_lang
from web.kind_fields import edge_values, field_names, node_values, read_edge, read_node
from web.kind_forms import KindForm, kind_form, problem_text, read_float, show_float
from web.labels import field_label, kind_label
from web.plan_edit import (
    EDITABLE_KINDS,
    attach_assumption,
    dependents,
    edge_ref,
    fingerprint,
    free_id,
    issues_by_field,
    put_edge,
    put_node,
    remove_edge,
    remove_node,
)
from web.plan_forms import AssumptionForm, LinkForm, NodeForm
from web.plan_issues import issue_text
from web.plan_versions import compare_versions, compare_with_current
from web.statuses import current_plan_status
from web.store import current_plan, get_store
from web.version_labels import version_label

__all__ = ["EditRefused", "bp", "edit_lock", "init_app", "save_plan_change"]

bp = Blueprint("plan", __name__, url_prefix="/plan")

_LOCK = "pathways.plan_edits"
#: Link kinds the pages edit.
LINK_KINDS = ("CONTRIBUTES_TO", "ALIGNS_WITH")
#: Where a new outcome or output may contribute to.
_PARENTS = {"Outcome": ("Objective", "Outcome"), "Output": ("Outcome", "Objective", "Output")}
_ID_PREFIX = {"Outcome": ".oc", "Output": ".op"}


def init_app(app: Flask) -> None:
    app.extensions[_LOCK] = threading.Lock()
    app.jinja_env.filters["version_message"] = version_label
    app.register_blueprint(bp)


def edit_lock() -> threading.Lock:
    """The lock that lets one edit of the plan or the indicator definitions in at a time."""
    return current_app.extensions[_LOCK]


class EditRefused(Exception):
    """An edit cannot be made on the plan as it is now; ``field`` (a form field name, or
    None) says where to show ``message``."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def save_plan_change(change: Callable[[Plan], Plan], message: str) -> bool:
    """Apply ``change`` to the stored plan and save it (one edit at a time in this process).
    Returns False when nothing changed; raises :class:`EditRefused`,
    :class:`toc.errors.PlanInvalid` or another :class:`toc.errors.PlanError`."""
    store = get_store()
    with edit_lock():
        new = change(store.load_plan())
        return store.save_plan(new, author=current_user.username, message=message) is not None


def _save(
    form: FlaskForm,
    change: Callable[[Plan], Plan],
    what: str,
    refs: Iterable[str],
    fields: Mapping[str, str],
    cycle_field: str | None = None,
) -> bool:
    """Save an edit; on refusal put the reasons on the form's fields (or its general errors)
    and return False. ``what`` is the message kept in the plan's history
    (:mod:`toc.version_notes`), worded in the user's language on the page."""
    try:
        changed = save_plan_change(change, what)
    except EditRefused as e:
        _error(form, e.field, e.message)
        return False
    except IndicatorsInUse as e:
        _error(form, None, _in_use(e))
        return False
    except PlanInvalid as e:
        by_field, general = issues_by_field(e.issues, refs, fields, cycle_field)
        label = _labels(form, fields)
        for name, messages in by_field.items():
            getattr(form, name).errors.extend(issue_text(m, label) for m in messages)
        for text in general:
            _error(form, None, issue_text(text, label))
        return False
    except PlanError as e:
        _error(form, None, str(e))
        return False
    if changed:
        flash(_("Saved: %(what)s.", what=version_label(what)), "success")
    else:
        flash(_("Nothing changed."), "info")
    return True


def _labels(form: FlaskForm, fields: Mapping[str, str]) -> Callable[[str], str]:
    """A plan field's name as the form labels it (else its translated name)."""

    def label(name: str) -> str:
        field = getattr(form, fields.get(name, name), None)
        text = getattr(getattr(field, "label", None), "text", None)
        return str(text) if text else field_label(name)

    return label


def _error(form: FlaskForm, field: str | None, message: str) -> None:
    if field is None:
        form.form_errors.append(message)
    else:
        getattr(form, field).errors.append(message)


def _in_use(e: IndicatorsInUse) -> str:
    listing = "; ".join(f"{node}: {', '.join(codes)}" for node, codes in e.measured.items())
    return _(
        "Indicators measure this node (%(list)s). Change or remove those indicators first; "
        "nothing was changed.",
        list=listing,
    )


def _changed_meanwhile(form: FlaskForm, current: Node | Edge | None) -> None:
    form.base.data = fingerprint(current)
    raise EditRefused(
        _(
            "Someone else changed this while you were editing it. Your input is kept below; "
            "check it against the current version and save again to replace it."
        )
    )


def _label(node: Node | None) -> str:
    return node.label(current_lang()) if node is not None else ""


def _choices(plan: Plan, kinds: Iterable[str]) -> list[tuple[str, str]]:
    return [
        (n.id, f"{kind_label(n.kind)} · {n.id} · {_label(n)}")
        for kind in kinds
        for n in sorted(plan.of_kind(kind), key=lambda n: n.id)
    ]


# -- overview and history ---------------------------------------------------------------------


@bp.route("")
@requires("edit_plan")
def index() -> str:
    """The plan's structure to edit: objectives with what contributes to them, links,
    assumptions, indicators."""
    plan = current_plan()
    result = current_plan_status()
    contributors: dict[str, list[Node]] = {}
    for e in plan.edges_of_kind("CONTRIBUTES_TO"):
        source = plan.get(e.source)
        if source is not None:
            contributors.setdefault(e.target, []).append(source)
    for nodes in contributors.values():
        nodes.sort(key=lambda n: (n.kind, n.id))
    sos = sorted(plan.of_kind("StrategicObjective"), key=lambda n: (n.props.get("number", 0), n.id))
    return render_template(
        "plan/index.html",
        plan=plan,
        sos=sos,
        contributors=contributors,
        links={kind: plan.edges_of_kind(kind) for kind in LINK_KINDS},
        assumptions=sorted(plan.of_kind("Assumption"), key=lambda n: n.id),
        indicators=[s.indicator for s in result.indicators.values()],
        revisions=list(reversed(get_store().revisions()))[:5],
        all_nodes=[
            (kind, sorted(plan.of_kind(kind), key=lambda n: n.id))
            for kind in NODE_KINDS
            if kind != "Plan"
        ],
        all_links=[(kind, plan.edges_of_kind(kind)) for kind in EDGE_KINDS],
    )


@bp.route("/history")
@requires("edit_plan")
def history() -> str:
    """Every saved version of the plan, and every change of an indicator definition; with
    ``old`` and ``new`` (version numbers), the two versions compared."""
    store = get_store()
    definitions = store.indicator_history()
    revisions = store.revisions()
    latest = revisions[-1].version if revisions else 0
    comparison, problem = None, None
    old = request.args.get("old", type=int)
    new = request.args.get("new", type=int, default=latest)
    if old is not None:
        try:
            comparison = compare_versions(
                store, old, new, current_lang(), _("Changes between the two versions")
            )
        except VersionNotKept as e:
            problem = str(e)
    return render_template(
        "plan/history.html",
        revisions=list(reversed(revisions)),
        definitions=list(reversed(definitions)),
        kept=set(store.kept_versions()),
        comparison=comparison,
        problem=problem,
        old=old if old is not None else max(latest - 1, 0),
        new=new,
    )


@bp.route("/history/restore/<int:version>", methods=["GET", "POST"])
@requires("edit_plan")
def restore_version(version: int) -> Response | str:
    """Preview what restoring ``version`` changes in the current plan; on POST (with a
    reason), save it as a new version. Refused, with nothing changed, when indicators
    measure a node that version does not have."""
    store = get_store()
    error = None
    if request.method == "POST":
        message = request.form.get("message", "").strip()
        if not message:
            error = _("Say why you restore this version; it is kept in the plan's history.")
        else:
            try:
                with edit_lock():
                    saved = store.restore_version(
                        version, author=current_user.username, message=message[:500]
                    )
            except IndicatorsInUse as e:
                error = _in_use(e)
            except VersionNotKept as e:
                abort(404, str(e))
            except PlanError as e:
                error = str(e)
            else:
                if saved is None:
                    flash(_("The plan already equals version %(v)s.", v=version), "info")
                else:
                    flash(
                        _("Restored version %(v)s as version %(new)s.", v=version,
                          new=saved.version),
                        "success",
                    )  # fmt: skip
                return redirect(url_for("plan.history"))
    try:
        comparison = compare_with_current(
            store, version, current_lang(), _("What restoring this version changes")
        )
    except VersionNotKept as e:
        abort(404, str(e))
    return render_template("plan/restore.html", version=version, comparison=comparison, error=error)


# -- outcomes, outputs and assumptions ----------------------------------------------------------


@bp.route("/nodes/new", methods=["GET", "POST"])
@requires("edit_plan")
def new_node() -> Response | str:
    """Add an outcome or an output (``?kind=Output``) under a node (``?parent=so1.o1``), or
    a node of any other kind of the registry (``?kind=Partner``)."""
    plan = current_plan()
    kind = request.args.get("kind", "Outcome")
    if kind == "Assumption":
        return redirect(url_for("plan.new_assumption"))
    if kind not in EDITABLE_KINDS:
        if kind not in NODE_KINDS or kind == "Plan":
            abort(404)
        return _new_any_node(plan, kind)
    form = NodeForm()
    form.contributes_to.choices = _choices(plan, _PARENTS[kind])
    parent = request.args.get("parent", "")
    if not form.is_submitted():
        if plan.get(parent) is not None:
            form.contributes_to.data = parent
            form.node_id.data = free_id(plan, parent + _ID_PREFIX[kind])
    elif form.validate():
        node = form.node(kind, None)
        link = form.link(node.id)

        def change(stored: Plan) -> Plan:
            if stored.get(node.id) is not None:
                raise EditRefused(_("This id is taken."), "node_id")
            return put_edge(put_node(stored, node), link)

        fields = {
            "title": "title_en",
            "start_year": "start_year",
            "end_year": "end_year",
            "target": "contributes_to",
            "rationale": "rationale_en",
        }
        refs = [node.id, edge_ref(link.kind, link.source, link.target)]
        what = node_note("added", kind, node.id)
        if _save(form, change, what, refs, fields, cycle_field="contributes_to"):
            return redirect(url_for("plan.index", _anchor=f"node-{node.id}"))
    return render_template("plan/node.html", form=form, kind=kind, node=None)


def _editable(plan: Plan, node_id: str, kinds: Iterable[str]) -> Node:
    node = plan.get(node_id)
    if node is None or node.kind not in kinds:
        abort(404)
    return node


@bp.route("/nodes/<node_id>", methods=["GET", "POST"])
@requires("edit_plan")
def edit_node(node_id: str) -> Response | str:
    """Change an outcome's or output's texts and years, or any field of a node of any
    other kind (the plan node too)."""
    plan = current_plan()
    node = _editable(plan, node_id, NODE_KINDS)
    if node.kind == "Assumption":
        return redirect(url_for("plan.edit_assumption", node_id=node_id))
    if node.kind not in EDITABLE_KINDS:
        return _edit_any_node(plan, node)
    form = NodeForm()
    del form.node_id, form.contributes_to, form.rationale_nl, form.rationale_en
    if not form.is_submitted():
        form.fill(node)
        form.base.data = fingerprint(node)
    elif form.validate():

        def change(stored: Plan) -> Plan:
            current = stored.get(node_id)
            if current is None or current.kind != node.kind:
                raise EditRefused(_("This node was removed meanwhile."))
            if fingerprint(current) != form.base.data:
                _changed_meanwhile(form, current)
            return put_node(stored, form.node(node.kind, current))

        fields = {"title": "title_en", "start_year": "start_year", "end_year": "end_year"}
        what = node_note("changed", node.kind, node_id)
        if _save(form, change, what, [node_id], fields):
            return redirect(url_for("plan.index", _anchor=f"node-{node_id}"))
    links = [e for e in plan.edges if node_id in (e.source, e.target) and e.kind in LINK_KINDS]
    return render_template(
        "plan/node.html", form=form, kind=node.kind, node=node, links=links, plan=plan
    )


@bp.route("/nodes/<node_id>/delete", methods=["GET", "POST"])
@requires("edit_plan")
def delete_node(node_id: str) -> Response | str:
    """Show what removing a node takes with it (its links, the indicators that measure it,
    the nodes it leaves unlinked); on POST remove it with its links (refused while
    indicators measure it). The plan node cannot be removed."""
    plan = current_plan()
    node = _editable(plan, node_id, NODE_KINDS)
    if node.kind == "Plan":
        abort(404)
    if request.method == "GET":
        found = dependents(plan, node_id, _measured_by(), get_store().evidence())
        return render_template("plan/delete.html", node=node, plan=plan, found=found)
    what = node_note("removed", node.kind, node_id)
    try:
        save_plan_change(lambda stored: remove_node(stored, node_id), what)
    except IndicatorsInUse as e:
        flash(_in_use(e), "error")
    except PlanError as e:
        flash(str(e), "error")
    else:
        flash(_("Saved: %(what)s.", what=version_label(what)), "success")
        return redirect(url_for("plan.index"))
    endpoint = "plan.edit_assumption" if node.kind == "Assumption" else "plan.edit_node"
    return redirect(url_for(endpoint, node_id=node_id))


def _measured_by() -> dict[str, list[str]]:
    """Node id -> the codes of the indicators that measure it."""
    measured: dict[str, list[str]] = {}
    for s in current_plan_status().indicators.values():
        for node_id in s.indicator.measures:
            measured.setdefault(node_id, []).append(s.indicator.code)
    return measured


# -- nodes and links of any kind, from the kind registry -------------------------------------


def _id_prefix(kind: str) -> str:
    return kind.lower() + "."


def _read_into(form: KindForm, problems: dict[str, str]) -> None:
    for name, code in problems.items():
        form[name].errors.append(problem_text(code))


def _new_any_node(plan: Plan, kind: str) -> Response | str:
    form = kind_form(node_kind=kind, new_id=True)
    if not form.is_submitted():
        form.node_id.data = free_id(plan, _id_prefix(kind))
    elif form.validate():
        node_id = (form.node_id.data or "").strip()
        node, problems = read_node(kind, node_id, form.typed(), read_float=read_float)
        _read_into(form, problems)
        if node is not None:
            new = node

            def change(stored: Plan) -> Plan:
                if stored.get(new.id) is not None:
                    raise EditRefused(_("This id is taken."), "node_id")
                return put_node(stored, new)

            what = node_note("added", kind, node_id)
            if _save(form, change, what, [node_id], field_names(list(form.inputs))):
                return redirect(url_for("plan.edit_node", node_id=node_id))
    return render_template("plan/kind_node.html", form=form, kind=kind, node=None, plan=plan)


def _edit_any_node(plan: Plan, node: Node) -> Response | str:
    form = kind_form(node_kind=node.kind)
    node_id = node.id
    if not form.is_submitted():
        form.show(node_values(node, show_float))
        form.base.data = fingerprint(node)
    elif form.validate():
        typed, problems = read_node(node.kind, node_id, form.typed(), node, read_float)
        _read_into(form, problems)
        if typed is not None:

            def change(stored: Plan) -> Plan:
                current = stored.get(node_id)
                if current is None or current.kind != node.kind:
                    raise EditRefused(_("This node was removed meanwhile."))
                if fingerprint(current) != form.base.data:
                    _changed_meanwhile(form, current)
                again, _problems = read_node(node.kind, node_id, form.typed(), current, read_float)
                return put_node(stored, again or typed)

            what = node_note("changed", node.kind, node_id)
            if _save(form, change, what, [node_id], field_names(list(form.inputs))):
                return redirect(url_for("plan.edit_node", node_id=node_id))
    links = [e for e in plan.edges if node_id in (e.source, e.target)]
    return render_template(
        "plan/kind_node.html",
        form=form,
        kind=node.kind,
        node=node,
        plan=plan,
        links=links,
        link_kinds=_link_kinds_of(node.kind),
    )


def _link_kinds_of(kind: str) -> list[tuple[str, str]]:
    """The link kinds a node of ``kind`` may have: (link kind, "source" or "target")."""
    found = []
    for name, spec in EDGE_KINDS.items():
        if kind in spec.sources:
            found.append((name, "source"))
        if kind in spec.targets:
            found.append((name, "target"))
    return found


def _any_link_form(plan: Plan, kind: str, new: bool) -> KindForm:
    spec = EDGE_KINDS[kind]
    ends = None
    if new:
        ends = (
            [("", "—"), *_choices(plan, spec.sources)],
            [("", "—"), *_choices(plan, spec.targets)],
        )
    return kind_form(edge_kind=kind, ends=ends)


def _link_fields(form: KindForm) -> dict[str, str]:
    return {"source": "source", "target": "target", **field_names(list(form.inputs))}


def _new_any_link(plan: Plan, kind: str) -> Response | str:
    form = _any_link_form(plan, kind, new=True)
    if not form.is_submitted():
        form.source.data = request.args.get("source", "")
        form.target.data = request.args.get("target", "")
    elif form.validate():
        source, target = form.source.data or "", form.target.data or ""
        edge, problems = read_edge(kind, source, target, form.typed(), read_float=read_float)
        _read_into(form, problems)
        if edge is not None and _add_link(form, edge, _link_fields(form)):
            return redirect(url_for("plan.edit_node", node_id=source))
    return render_template("plan/kind_link.html", form=form, kind=kind, edge=None, plan=plan)


def _add_link(form: FlaskForm, edge: Edge, fields: Mapping[str, str]) -> bool:
    """Save a new link (refused when its two ends are linked already); True when saved.
    ``fields`` maps the plan's field names to the form's, for the reasons of a refusal."""

    def change(stored: Plan) -> Plan:
        if any(e.key == edge.key for e in stored.edges):
            raise EditRefused(_("These two are linked already."), "target")
        return put_edge(stored, edge)

    what = link_note("added", edge.source, edge.target)
    refs = [edge_ref(edge.kind, edge.source, edge.target)]
    return _save(form, change, what, refs, fields, cycle_field="target")


def _edit_any_link(plan: Plan, edge: Edge) -> Response | str:
    kind, source, target = edge.key
    form = _any_link_form(plan, kind, new=False)
    if not form.is_submitted():
        form.show(edge_values(edge, show_float))
        form.base.data = fingerprint(edge)
    elif form.validate():
        typed, problems = read_edge(kind, source, target, form.typed(), edge, read_float)
        _read_into(form, problems)
        if typed is not None:

            def change(stored: Plan) -> Plan:
                current = next((e for e in stored.edges if e.key == edge.key), None)
                if current is None:
                    raise EditRefused(_("This link was removed meanwhile."))
                if fingerprint(current) != form.base.data:
                    _changed_meanwhile(form, current)
                again, _problems = read_edge(
                    kind, source, target, form.typed(), current, read_float
                )
                return put_edge(stored, again or typed)

            what = link_note("changed", source, target)
            refs = [edge_ref(kind, source, target)]
            if _save(form, change, what, refs, _link_fields(form)):
                return redirect(url_for("plan.edit_node", node_id=source))
    return render_template("plan/kind_link.html", form=form, kind=kind, edge=edge, plan=plan)


def _relying(plan: Plan, assumption_id: str) -> list[Edge]:
    return [
        e
        for e in plan.edges_of_kind("CONTRIBUTES_TO")
        if assumption_id in e.props.get("assumptions", ())
    ]


def _link_choices(plan: Plan) -> list[tuple[str, str]]:
    def label(e: Edge) -> str:
        names = f"{_label(plan.get(e.source))} → {_label(plan.get(e.target))}"
        return f"{e.source} → {e.target} · {names}"

    return [(f"{e.source}|{e.target}", label(e)) for e in plan.edges_of_kind("CONTRIBUTES_TO")]


@bp.route("/assumptions/new", methods=["GET", "POST"])
@requires("edit_plan")
def new_assumption() -> Response | str:
    """Add an assumption and attach it to contribution links."""
    plan = current_plan()
    form = AssumptionForm()
    form.links.choices = _link_choices(plan)
    if not form.is_submitted():
        form.node_id.data = free_id(plan, "a.")
        link = request.args.get("link")
        if link:
            form.links.data = [link]
    elif form.validate():
        node = form.node(None)
        keys = form.link_keys()

        def change(stored: Plan) -> Plan:
            if stored.get(node.id) is not None:
                raise EditRefused(_("This id is taken."), "node_id")
            return attach_assumption(put_node(stored, node), node.id, keys)

        what = node_note("added", "Assumption", node.id)
        refs = [node.id, *(edge_ref(*key) for key in keys)]
        if _save(form, change, what, refs, {"title": "title_en", "assumptions": "links"}):
            return redirect(url_for("plan.index", _anchor="assumptions"))
    return render_template("plan/assumption.html", form=form, node=None)


@bp.route("/assumptions/<node_id>", methods=["GET", "POST"])
@requires("edit_plan")
def edit_assumption(node_id: str) -> Response | str:
    """Change an assumption and the links that rely on it."""
    plan = current_plan()
    node = _editable(plan, node_id, ("Assumption",))
    form = AssumptionForm()
    del form.node_id
    form.links.choices = _link_choices(plan)
    if not form.is_submitted():
        form.fill(node, _relying(plan, node_id))
        form.base.data = fingerprint(node) + fingerprint_links(_relying(plan, node_id))
    elif form.validate():
        keys = form.link_keys()

        def change(stored: Plan) -> Plan:
            current = stored.get(node_id)
            if current is None or current.kind != "Assumption":
                raise EditRefused(_("This node was removed meanwhile."))
            now = fingerprint(current) + fingerprint_links(_relying(stored, node_id))
            if now != form.base.data:
                form.base.data = now
                _changed_meanwhile(form, current)
            return attach_assumption(put_node(stored, form.node(current)), node_id, keys)

        what = node_note("changed", "Assumption", node_id)
        refs = [node_id, *(edge_ref(*key) for key in keys)]
        if _save(form, change, what, refs, {"title": "title_en", "assumptions": "links"}):
            return redirect(url_for("plan.index", _anchor="assumptions"))
    return render_template("plan/assumption.html", form=form, node=node)


def fingerprint_links(edges: Iterable[Edge]) -> str:
    """The fingerprint of a set of links (which links, not their fields)."""
    return fingerprint(Edge("CONTRIBUTES_TO", "", "", {"assumptions": sorted(
        f"{e.source}|{e.target}" for e in edges)}))  # fmt: skip


# -- links ---------------------------------------------------------------------------------------


def _link_form(plan: Plan, kind: str, new: bool) -> LinkForm:
    spec = EDGE_KINDS[kind]
    form = LinkForm()
    form.only(kind, ends=new)
    if new:
        form.source.choices = [("", "—"), *_choices(plan, spec.sources)]
        form.target.choices = [("", "—"), *_choices(plan, spec.targets)]
    if "assumptions" in form:
        assumptions = sorted(plan.of_kind("Assumption"), key=lambda n: n.id)
        form.assumptions.choices = [(n.id, f"{n.id} · {_label(n)}") for n in assumptions]
    return form


_LINK_FIELDS = {
    "source": "source",
    "target": "target",
    "rationale": "rationale_en",
    "assumptions": "assumptions",
    "weight": "weight",
    "priority": "priority",
}


@bp.route("/links/new", methods=["GET", "POST"])
@requires("edit_plan")
def new_link() -> Response | str:
    """Add a contribution link (``?kind=CONTRIBUTES_TO``) or an SDG alignment
    (``?kind=ALIGNS_WITH``); ``?source=`` and ``?target=`` preselect its ends."""
    plan = current_plan()
    kind = request.args.get("kind", "CONTRIBUTES_TO")
    if kind not in LINK_KINDS:
        if kind not in EDGE_KINDS:
            abort(404)
        return _new_any_link(plan, kind)
    form = _link_form(plan, kind, new=True)
    if not form.is_submitted():
        form.source.data = request.args.get("source", "")
        form.target.data = request.args.get("target", "")
    elif form.validate():
        source, target = form.source.data or "", form.target.data or ""
        edge = form.edge(kind, source, target, None)
        if edge is not None and _add_link(form, edge, _LINK_FIELDS):
            return redirect(url_for("plan.index", _anchor="links"))
    return render_template("plan/link.html", form=form, kind=kind, edge=None, plan=plan)


def _stored_link(plan: Plan, kind: str, source: str, target: str) -> Edge:
    if kind not in EDGE_KINDS:
        abort(404)
    edge = next((e for e in plan.edges if e.key == (kind, source, target)), None)
    if edge is None:
        abort(404)
    return edge


@bp.route("/links/<kind>/<source>/<target>", methods=["GET", "POST"])
@requires("edit_plan")
def edit_link(kind: str, source: str, target: str) -> Response | str:
    """Change a link's rationale, assumptions and weight (or priority)."""
    plan = current_plan()
    edge = _stored_link(plan, kind, source, target)
    if kind not in LINK_KINDS:
        return _edit_any_link(plan, edge)
    form = _link_form(plan, kind, new=False)
    if not form.is_submitted():
        form.fill(edge)
        form.base.data = fingerprint(edge)
    elif form.validate():
        new = form.edge(kind, source, target, edge)
        if new is not None:

            def change(stored: Plan) -> Plan:
                current = next((e for e in stored.edges if e.key == edge.key), None)
                if current is None:
                    raise EditRefused(_("This link was removed meanwhile."))
                if fingerprint(current) != form.base.data:
                    _changed_meanwhile(form, current)
                return put_edge(stored, form.edge(kind, source, target, current) or new)

            what = link_note("changed", source, target)
            if _save(form, change, what, [edge_ref(kind, source, target)], _LINK_FIELDS):
                return redirect(url_for("plan.index", _anchor="links"))
    return render_template("plan/link.html", form=form, kind=kind, edge=edge, plan=plan)


@bp.route("/links/<kind>/<source>/<target>/delete", methods=["POST"])
@requires("edit_plan")
def delete_link(kind: str, source: str, target: str) -> Response:
    """Remove a link."""
    edge = _stored_link(current_plan(), kind, source, target)
    what = link_note("removed", source, target)
    try:
        save_plan_change(lambda stored: remove_edge(stored, edge.key), what)
    except PlanError as e:
        flash(str(e), "error")
        return redirect(url_for("plan.edit_link", kind=kind, source=source, target=target))
    flash(_("Saved: %(what)s.", what=version_label(what)), "success")
    return redirect(url_for("plan.index", _anchor="links"))
