"""The learning pages: a causal link's evidence and confidence (with the form to record
evidence), a node's contribution story, and the harvested outcomes (list and form).

Views only gather and hand over: the confidence is :mod:`toc.confidence`, the story
:mod:`toc.story` and its words :mod:`toc.story_render` (Dutch and English), the evidence of
indicator trends :mod:`indicators.link_evidence`, and what is recorded lives in the store
(:mod:`graphdb.learning_store`, audited, checked against the plan). Recording and removing
are for M&E officers and admins (``review``); a contributor submits evidence on the links in
its scope (the partners, partnerships and countries of its account), which counts once an M&E
officer approves it, as measured values are reviewed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from indicators.link_evidence import derived_evidence
from indicators.model import now_stamp
from toc.attachments import AttachmentRefused
from toc.causal import Link, causal_index
from toc.confidence import BAND_LABELS, DEFAULT_PRIOR, Confidence, assess, link_confidences
from toc.errors import PlanError
from toc.evidence import (
    KIND_LABELS,
    SAYS_LABELS,
    STRENGTH_LABELS,
    TYPED_KINDS,
    Evidence,
    EvidenceKind,
)
from toc.harvest import HarvestedOutcome, Planning, Valence, outcomes_near
from toc.model import Edge, Node, Plan
from toc.story import STORY_KINDS, contribution_story
from toc.story_render import render as render_story
from web.access import requires
from web.attachments import ACCEPT, attachment_response, refusal_reason
from web.i18n import current_lang
from web.memo import per_version
from web.scope import concerned
from web.statuses import current_plan_status, data_version
from web.store import current_data_version, current_plan, get_store

__all__ = [
    "EvidenceForm",
    "OutcomeForm",
    "bp",
    "link_confidence_of",
    "node_confidences",
    "outcomes_bp",
]

bp = Blueprint("learning", __name__)
#: The outcomes have their own menu entry, so their own blueprint.
outcomes_bp = Blueprint("outcomes", __name__)


class EvidenceForm(FlaskForm):
    """One evidence item on a link or an assumption (the page gives the subject)."""

    kind = SelectField(_l("Kind"), choices=[])
    says = SelectField(_l("It"), choices=[])
    strength = SelectField(_l("Strength"), choices=[])
    source_text = TextAreaField(
        _l("What the source says, and where"),
        validators=[InputRequired(_l("Say what the source says.")), Length(max=10_000)],
    )
    url = StringField(_l("Address (URL)"), validators=[Optional(), Length(max=2_000)])
    file = FileField(
        _l("Attached file (PDF, image, office document, CSV or text; 10 MB at most)"),
        render_kw={"accept": ACCEPT},
    )
    date = StringField(
        _l("Date (YYYY-MM-DD)"), validators=[InputRequired(_l("Give a date.")), Length(max=10)]
    )

    def fill_choices(self, lang: str) -> None:
        typed = [k for k in TYPED_KINDS if k is not EvidenceKind.HARVESTED_OUTCOME]
        self.kind.choices = [(k.value, KIND_LABELS[k].get(lang)) for k in typed]
        self.says.choices = [(s.value, label.get(lang)) for s, label in SAYS_LABELS.items()]
        self.strength.choices = [(s.value, t.get(lang)) for s, t in STRENGTH_LABELS.items()]


class OutcomeForm(FlaskForm):
    """One harvested outcome."""

    title = StringField(
        _l("Title"), validators=[InputRequired(_l("Give a title.")), Length(max=500)]
    )
    description = TextAreaField(
        _l("What changed"),
        validators=[InputRequired(_l("Say what changed.")), Length(max=10_000)],
    )
    social_actor = StringField(
        _l("Who changed"), validators=[InputRequired(_l("Say who changed.")), Length(max=500)]
    )
    when = StringField(
        _l("When (YYYY-MM-DD)"), validators=[InputRequired(_l("Give a date.")), Length(max=10)]
    )
    near = SelectField(_l("Plan node it bears on"), choices=[])
    significance = TextAreaField(_l("Significance"), validators=[Length(max=10_000)])
    contribution = TextAreaField(
        _l("How the organisation contributed"), validators=[Length(max=10_000)]
    )
    valence = SelectField(_l("Positive or negative"), choices=[])
    planning = SelectField(_l("Planned or not"), choices=[])

    def fill_choices(self, plan: Plan, lang: str) -> None:
        self.near.choices = [
            (n.id, f"{n.id} · {n.label(lang)}") for n in plan.nodes if n.kind in STORY_KINDS
        ]
        self.valence.choices = [
            (Valence.POSITIVE.value, _("positive")),
            (Valence.NEGATIVE.value, _("negative")),
        ]
        self.planning.choices = [
            (Planning.PLANNED.value, _("planned")),
            (Planning.UNPLANNED.value, _("unplanned")),
        ]


# -- what the pages show -------------------------------------------------------------------------
def all_evidence(plan: Plan) -> list[Evidence]:
    """Derived (indicator trends) and recorded evidence."""
    return [*derived_evidence(plan, current_plan_status()), *get_store().evidence()]


def node_confidences(plan: Plan, node_id: str) -> list[tuple[Link, Confidence]]:
    """The confidence of the causal links into and out of a node."""
    links = causal_index(plan).links_at.get(node_id, [])
    if not links:
        return []
    found = link_confidence_of(plan)
    return [(link, found[link]) for link in links]


def link_confidence_of(plan: Plan) -> dict[Link, Confidence]:
    """The confidence of every causal link (for the diagram and the node pages), computed
    once per version of what it reads: the plan, the approved values (the trends that are
    derived evidence) and the learning log (evidence and priors). Shared: do not change it."""
    version = (data_version(), current_data_version().learning)
    return per_version(
        "link_confidences",
        version,
        lambda: link_confidences(
            causal_index(plan), all_evidence(plan), priors=_link_priors(get_store().priors())
        ),
    )


def _link_priors(priors: dict[Link | str, float]) -> dict[Link, float]:
    return {k: v for k, v in priors.items() if isinstance(k, tuple)}


def band_label(conf: Confidence, lang: str) -> str:
    return BAND_LABELS[conf.band].get(lang)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _next_id(prefix: str, record: str) -> str:
    taken = {c.key for c in get_store().learning_history(record)}
    n = len(taken) + 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


# -- pages --------------------------------------------------------------------------------------
@bp.route("/story/<node_id>")
@requires("read")
def story(node_id: str) -> str:
    """The contribution story of an objective, strategic objective, outcome or output."""
    plan = current_plan()
    node = plan.get(node_id)
    if node is None or node.kind not in STORY_KINDS:
        abort(404)
    store = get_store()
    made = contribution_story(
        plan, node_id, all_evidence(plan), store.outcomes(), priors=store.priors()
    )
    body = Markup(render_story(made, current_lang(), "html"))  # escaped by render
    return render_template("learning/story.html", node=node, body=body)


def _may_submit(plan: Plan, ends: Iterable[str]) -> bool:
    """Whether the user submits evidence for review on a subject touching ``ends`` (a
    contributor in scope); M&E officers and admins record directly."""
    return not current_user.can("review") and current_user.in_scope(concerned(plan, ends))


def _new_form(lang: str) -> EvidenceForm:
    form = EvidenceForm()
    form.fill_choices(lang)
    if not form.date.data:
        form.date.data = _today().isoformat()
    return form


def _causal_link(plan: Plan, source: str, target: str) -> tuple[Link, Edge]:
    link = Link(source, target)
    edge = causal_index(plan).links.get(link)
    if edge is None:
        abort(404)
    return link, edge


@bp.route("/evidence/<source>/<target>")
@requires("read")
def link_evidence(source: str, target: str) -> str:
    """A causal link's evidence and confidence, with the form to record evidence."""
    return _link_page(current_plan(), source, target, _new_form(current_lang()))


@bp.route("/evidence/<source>/<target>", methods=["POST"], endpoint="record_link_evidence")
@requires("submit")
def record_link_evidence(source: str, target: str) -> Response | str:
    """Record an item on the link (M&E officers), or submit one for review (contributors, on
    links in their scope)."""
    plan = current_plan()
    link, _edge = _causal_link(plan, source, target)
    submit = _may_submit(plan, [source, target])
    if not (current_user.can("review") or submit):
        abort(403)
    form = _new_form(current_lang())
    if form.validate_on_submit() and _record_evidence(form, {"link": link}, submit=submit):
        return redirect(url_for("learning.link_evidence", source=source, target=target))
    return _link_page(plan, source, target, form)


def _link_page(plan: Plan, source: str, target: str, form: EvidenceForm) -> str:
    link, edge = _causal_link(plan, source, target)
    lang = current_lang()
    may_submit = _may_submit(plan, [source, target])
    store = get_store()
    items = [e for e in all_evidence(plan) if e.link == link]
    prior = _link_priors(store.priors()).get(link, DEFAULT_PRIOR)
    conf = assess(link, items, prior)
    assumptions = [plan.node(a) for a in edge.props.get("assumptions", ()) if plan.get(a)]
    return render_template(
        "learning/link.html",
        link=link,
        edge=edge,
        source_node=plan.node(source),
        target_node=plan.node(target),
        conf=conf,
        band=band_label(conf, lang),
        items=sorted(items, key=lambda e: (e.date, e.id)),
        assumptions=assumptions,
        form=form,
        labels=_labels(lang),
        may_record=current_user.can("review") or may_submit,
        may_submit=may_submit,
        pending=[(e, c) for e, c in store.pending_evidence() if e.link == link],
    )


def _assumption(plan: Plan, node_id: str) -> tuple[Node, list[Link]]:
    node = plan.get(node_id)
    if node is None or node.kind != "Assumption":
        abort(404)
    relying = [
        link for link, edge in causal_index(plan).links.items()
        if node_id in edge.props.get("assumptions", ())
    ]  # fmt: skip
    return node, relying


@bp.route("/assumptions/<node_id>/evidence")
@requires("read")
def assumption_evidence(node_id: str) -> str:
    """An assumption's evidence and the confidence that it holds, with the form."""
    return _assumption_page(current_plan(), node_id, _new_form(current_lang()))


@bp.route(
    "/assumptions/<node_id>/evidence", methods=["POST"], endpoint="record_assumption_evidence"
)
@requires("submit")
def record_assumption_evidence(node_id: str) -> Response | str:
    """Record an item on the assumption (M&E officers), or submit one for review
    (contributors, on assumptions of links in their scope)."""
    plan = current_plan()
    _node, relying = _assumption(plan, node_id)
    submit = _may_submit(plan, {i for link in relying for i in (link.source, link.target)})
    if not (current_user.can("review") or submit):
        abort(403)
    form = _new_form(current_lang())
    if form.validate_on_submit() and _record_evidence(form, {"assumption": node_id}, submit=submit):
        return redirect(url_for("learning.assumption_evidence", node_id=node_id))
    return _assumption_page(plan, node_id, form)


def _assumption_page(plan: Plan, node_id: str, form: EvidenceForm) -> str:
    node, relying = _assumption(plan, node_id)
    lang = current_lang()
    may_submit = _may_submit(plan, {i for link in relying for i in (link.source, link.target)})
    store = get_store()
    items = [e for e in store.evidence() if e.assumption == node_id]
    conf = assess(node_id, items, store.priors().get(node_id, DEFAULT_PRIOR))
    return render_template(
        "learning/link.html",
        link=None,
        assumption=node,
        relying=[(plan.node(k.source), plan.node(k.target)) for k in relying],
        edge=None,
        conf=conf,
        band=band_label(conf, lang),
        items=sorted(items, key=lambda e: (e.date, e.id)),
        assumptions=[],
        form=form,
        labels=_labels(lang),
        may_record=current_user.can("review") or may_submit,
        may_submit=may_submit,
        pending=[(e, c) for e, c in store.pending_evidence() if e.assumption == node_id],
    )


def _labels(lang: str) -> dict[str, Any]:
    return {
        "kind": {k: t.get(lang) for k, t in KIND_LABELS.items()},
        "says": {k: t.get(lang) for k, t in SAYS_LABELS.items()},
        "strength": {k: t.get(lang) for k, t in STRENGTH_LABELS.items()},
    }


def _record_evidence(form: EvidenceForm, subject: dict[str, Any], *, submit: bool) -> bool:
    """Record the form's item (``submit``: for review); flash why not when it is refused."""
    data = {
        "id": _next_id("ev", "evidence"),
        "kind": form.kind.data,
        "says": form.says.data,
        "strength": form.strength.data,
        "source_text": form.source_text.data,
        "date": (form.date.data or "").strip(),
        "author": current_user.username,
        **subject,
    }
    if form.url.data:
        data["url"] = form.url.data.strip()
    try:
        Evidence.from_dict(data, today=_today())  # every field checked before a file is kept
        upload = form.file.data
        if upload and upload.filename:
            files = get_store().attachment_files
            name = upload.filename
            try:
                kept = files.put(
                    upload.stream.read(files.max_bytes + 1), name,
                    who=current_user.username, when=now_stamp(),
                )  # fmt: skip
            except AttachmentRefused as refused:
                flash(_("%(file)s was not attached: %(why)s", file=refused.file,
                        why=refusal_reason(refused.reason)), "error")  # fmt: skip
                return False
            data |= {"file": kept, "attachment": kept.name}
        item = Evidence.from_dict(data, today=_today())
        if submit:
            get_store().submit_evidence(item, author=current_user.username)
        else:
            get_store().add_evidence([item], author=current_user.username)
    except PlanError as e:
        flash(_("The evidence was not recorded: %(why)s", why=str(e)), "error")
        return False
    if submit:
        flash(_("Evidence %(id)s submitted for review.", id=item.id), "success")
    else:
        flash(_("Evidence %(id)s recorded.", id=item.id), "success")
    return True


@bp.route("/evidence/<item_id>/file")
@requires("read")
def evidence_file(item_id: str) -> Response:
    """The file attached to an evidence item, to whoever may read its link's page: a
    recorded item to every reader, one waiting for review to its author and reviewers.
    Sent as a download in its stored media type, never rendered by the browser."""
    store = get_store()
    item = next((e for e in store.evidence() if e.id == item_id), None)
    if item is None:
        waiting = {e.id: (e, c) for e, c in store.pending_evidence()}
        if item_id in waiting:
            e, change = waiting[item_id]
            if not (current_user.can("review") or change.author == current_user.username):
                abort(403)
            item = e
    if item is None or item.file is None:
        abort(404)
    try:
        data = store.attachment_files.read(item.file.sha256)
    except FileNotFoundError:
        abort(404)
    return attachment_response(data, item.file)


@bp.route("/evidence/<item_id>/review", methods=["POST"])
@requires("review")
def review_evidence(item_id: str) -> Response:
    """Approve a submitted item (it counts from now on) or return it with a note."""
    back = _back()
    approve = request.form.get("decision") == "approve"
    note = (request.form.get("note") or "").strip()[:2_000]
    try:
        get_store().review_evidence(
            item_id, approve=approve, author=current_user.username, note=note
        )
    except PlanError as e:
        flash(_("The evidence was not reviewed: %(why)s", why=str(e)), "error")
    else:
        said = _("Evidence %(id)s approved.") if approve else _("Evidence %(id)s returned.")
        flash(said % {"id": item_id}, "success")
    return redirect(back)


def _back() -> str:
    """The page to go back to after a form: the ``next`` field when it is a local path."""
    back = request.form.get("next") or url_for("overview.index")
    if not back.startswith("/") or back.startswith("//"):
        return url_for("overview.index")
    return back


@bp.route("/evidence/<item_id>/remove", methods=["POST"])
@requires("review")
def remove_evidence(item_id: str) -> Response:
    """Remove a recorded item (the audit trail keeps it)."""
    back = _back()
    try:
        get_store().remove_evidence([item_id], author=current_user.username)
    except PlanError as e:
        flash(_("The evidence was not removed: %(why)s", why=str(e)), "error")
    else:
        flash(_("Evidence %(id)s removed.", id=item_id), "success")
    return redirect(back)


@outcomes_bp.route("/outcomes")
@requires("read")
def index() -> str:
    """The harvested outcomes, newest first (``near``: those near one node), with the form."""
    return _outcomes_page(_outcome_form())


@outcomes_bp.route("/outcomes", methods=["POST"], endpoint="record")
@requires("review")
def record() -> Response | str:
    """Record a harvested outcome (M&E officers and admins)."""
    form = _outcome_form()
    if form.validate_on_submit() and _record_outcome(form):
        return redirect(url_for("outcomes.index"))
    return _outcomes_page(form)


def _outcome_form() -> OutcomeForm:
    form = OutcomeForm()
    form.fill_choices(current_plan(), current_lang())
    if not form.when.data:
        form.when.data = _today().isoformat()
    return form


def _outcomes_page(form: OutcomeForm) -> str:
    plan = current_plan()
    near = (request.args.get("near") or "").strip()[:200]
    found = get_store().outcomes()
    if near:
        found = outcomes_near(found, near)
    found = sorted(found, key=lambda o: (o.when, o.id), reverse=True)
    return render_template(
        "learning/outcomes.html", outcomes=found, form=form, near=near, plan_get=plan.get
    )


def _record_outcome(form: OutcomeForm) -> bool:
    data = {
        "id": _next_id("ho", "outcome"),
        "title": form.title.data,
        "description": form.description.data,
        "social_actor": form.social_actor.data,
        "when": (form.when.data or "").strip(),
        "near": [form.near.data],
        "significance": form.significance.data or "",
        "contribution": form.contribution.data or "",
        "valence": form.valence.data,
        "planning": form.planning.data,
        "author": current_user.username,
    }
    try:
        made = HarvestedOutcome.from_dict(data, today=_today())
        get_store().add_outcomes([made], author=current_user.username)
    except PlanError as e:
        flash(_("The outcome was not recorded: %(why)s", why=str(e)), "error")
        return False
    flash(_("Outcome %(id)s recorded.", id=made.id), "success")
    return True
