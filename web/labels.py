"""Translated names of the plan vocabulary (node kinds, link kinds, fields, field values) and of
statuses and roles, for the pages. Unknown names fall back to a readable form of the name.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from indicators.errors import WorkflowError
from indicators.workflow import SELF_APPROVED
from toc.kinds import LANGUAGES
from toc.model import Text
from toc.render import STATUS_STYLE
from web.i18n import current_lang, plan_text
from web.value_labels import note_label, problem_label, value_warning_label

__all__ = [
    "field_value",
    "flag_label",
    "init_app",
    "kind_label",
    "role_label",
    "status_label",
    "workflow_text",
]

KINDS = {
    "Plan": _l("Plan"),
    "StrategicObjective": _l("Strategic objective"),
    "Objective": _l("Objective"),
    "Outcome": _l("Outcome"),
    "Output": _l("Output"),
    "Strategy": _l("Strategy"),
    "Role": _l("Role"),
    "SDG": _l("SDG"),
    "SDGTarget": _l("SDG target"),
    "Country": _l("Country"),
    "Partner": _l("Partner"),
    "Partnership": _l("Partnership"),
    "BeneficiaryGroup": _l("Beneficiary group"),
    "Assumption": _l("Assumption"),
    "BudgetLine": _l("Budget line"),
    "Funding": _l("Funding"),
    "TextVariance": _l("Language variance"),
    "GoverningBody": _l("Governing body"),
    "StaffFigure": _l("Staff figure"),
    "RevenueShare": _l("Revenue share"),
    "Claim": _l("Statement about a figure"),
    "IatiActivity": _l("IATI activity"),
}

#: (direction, link kind) -> how the other end relates to this node.
LINKS = {
    ("out", "CONTRIBUTES_TO"): _l("Contributes to"),
    ("in", "CONTRIBUTES_TO"): _l("Contributed to by"),
    ("out", "ALIGNS_WITH"): _l("Aligns with"),
    ("in", "ALIGNS_WITH"): _l("Served by"),
    ("out", "PERFORMED_THROUGH"): _l("Performed through"),
    ("in", "PERFORMED_THROUGH"): _l("Role of"),
    ("out", "WORKS_IN"): _l("Works in"),
    ("in", "WORKS_IN"): _l("Active here"),
    ("out", "PARTICIPATES_IN"): _l("Takes part in"),
    ("in", "PARTICIPATES_IN"): _l("Participants"),
    ("out", "PARTNERS_IN"): _l("Helps with"),
    ("in", "PARTNERS_IN"): _l("Partners"),
    ("out", "TARGETS"): _l("Serves"),
    ("in", "TARGETS"): _l("Served by"),
    ("out", "FUNDS"): _l("Funds"),
    ("in", "FUNDS"): _l("Funded by"),
    ("out", "SUBTARGET_OF"): _l("Target of"),
    ("in", "SUBTARGET_OF"): _l("Targets"),
    ("out", "CONCERNS"): _l("Concerns"),
    ("in", "CONCERNS"): _l("Language variances"),
}

FIELDS = {
    "title": _l("Title"),
    "description": _l("Description"),
    "source": _l("Source"),
    "stated_in": _l("Stated in"),
    "note": _l("Note"),
    "rationale": _l("Rationale"),
    "assumptions": _l("Assumptions"),
    "priority": _l("Priority"),
    "role": _l("Role"),
    "weight": _l("Weight"),
    "number": _l("Number"),
    "start_year": _l("From"),
    "end_year": _l("Until"),
    "organisation": _l("Organisation"),
    "currency": _l("Currency"),
    "dac_sector": _l("OECD-DAC sector"),
    "languages": _l("Languages"),
    "original_language": _l("Original language"),
    "max_countries_global_south": _l("Most countries in the Global South"),
    "iati_activity_status": _l("IATI activity status"),
    "iati_planned_start": _l("IATI planned start"),
    "iati_actual_start": _l("IATI actual start"),
    "iati_planned_end": _l("IATI planned end"),
    "iati_actual_end": _l("IATI actual end"),
    "identifier": _l("IATI identifier"),
    "publisher": _l("Publisher"),
    "short_title": _l("Short title"),
    "cross_cutting": _l("Cross-cutting"),
    "code": _l("Code"),
    "iso2": _l("ISO code"),
    "region": _l("Region"),
    "active_2024": _l("Active in 2024"),
    "status_from_2027": _l("Status from 2027"),
    "english_speaking": _l("English-speaking"),
    "placeholder": _l("Not yet named"),
    "partner_type": _l("Partner type"),
    "also_types": _l("Also"),
    "acronym": _l("Acronym"),
    "collective": _l("Stands for a group"),
    "status": _l("Status"),
    "partnership_type": _l("Partnership type"),
    "as_of": _l("As of"),
    "named_in_plan": _l("Named in the plan"),
    "beneficiary_type": _l("Beneficiaries"),
    "category": _l("Category"),
    "year": _l("Year"),
    "period": _l("Period"),
    "amount": _l("Amount"),
    "row": _l("Row"),
    "topic": _l("Topic"),
    "value_nl": _l("Dutch text"),
    "value_en": _l("English text"),
    "vision": _l("Vision"),
    "mission": _l("Mission"),
    "body_type": _l("Kind of body"),
    "meetings_per_year": _l("Meetings a year"),
    "members": _l("Members"),
    "members_count": _l("Member count"),
    "bodies": _l("Number of bodies"),
    "since_year": _l("Since"),
    "chair": _l("Chair"),
    "scope": _l("Covers"),
    "people": _l("People"),
    "approximate": _l("Approximate"),
    "fte": _l("FTE"),
    "revenue_source": _l("Source of revenue"),
    "share": _l("Share (%)"),
    "measure": _l("Figure"),
    "direction": _l("What the plan says it will do"),
    "basis": _l("Basis"),
}

VALUES = {
    "belgium": _l("Belgium"),
    "global_south": _l("Global South"),
    "confirmed": _l("confirmed"),
    "under_evaluation": _l("under evaluation"),
    "candidate": _l("candidate"),
    "not_planned": _l("not planned"),
    "flemish_local_government": _l("Flemish local government"),
    "partner_municipality": _l("partner municipality"),
    "sister_association": _l("sister association"),
    "synergy_partner": _l("synergy partner"),
    "strategic_partner": _l("strategic partner"),
    "network": _l("network"),
    "donor": _l("donor"),
    "active": _l("active"),
    "prospective": _l("prospective"),
    "on_hold": _l("on hold"),
    "planned": _l("planned"),
    "ended": _l("ended"),
    "town_twinning": _l("town twinning"),
    "sdg_partnership": _l("SDG partnership"),
    "direct": _l("direct"),
    "final": _l("final"),
    "administration": _l("administration"),
    "management": _l("management"),
    "operating": _l("operating"),
    "total": _l("total"),
    "primary": _l("primary"),
    "secondary": _l("secondary"),
    "nl": _l("Dutch"),
    "en": _l("English"),
    "number": _l("number"),
    "percentage": _l("percentage"),
    "currency": _l("amount of money"),
    "ordinal": _l("scale of levels"),
    "narrative": _l("narrative"),
    "increase": _l("higher is better"),
    "decrease": _l("lower is better"),
    "maintain": _l("keep at the target"),
    "year": _l("yearly"),
    "semester": _l("half-yearly"),
    "quarter": _l("quarterly"),
    "governance": _l("governance"),
    "exactly": _l("exactly"),
    "more_than": _l("more than"),
    "about": _l("about"),
    "organisation": _l("organisation"),
    "department": _l("department"),
    "team": _l("team"),
    "programme": _l("programme"),
    "function": _l("function"),
    "membership_fees": _l("membership fees"),
    "subsidies": _l("subsidies"),
    "own_activities": _l("own activities"),
    "administration_cost_share": _l("share of administration costs"),
    "falls": _l("falls"),
    "rises": _l("rises"),
    "stays": _l("stays the same"),
    "stated": _l("stated in the plan"),
    "judgement": _l("modelling judgement"),
    "custom": _l("custom periods"),
}

REVISIONS = {
    "draft": _l("draft"),
    "submitted": _l("awaiting review"),
    "approved": _l("approved"),
    "returned": _l("returned"),
}

ROLES = {
    "viewer": _l("Viewer"),
    "contributor": _l("Contributor"),
    "me_officer": _l("M&E officer"),
    "admin": _l("Administrator"),
}


def kind_label(kind: str) -> str:
    """The translated name of a node kind."""
    return str(KINDS.get(kind, kind))


def link_label(direction: str, kind: str) -> str:
    """How a linked node relates to the node whose page it is."""
    return str(LINKS.get((direction, kind), kind.replace("_", " ").lower()))


def link_kind_label(kind: str) -> str:
    """The translated name of a link kind, as its source relates to its target ("Contributes
    to"), where a page names the kind itself rather than a node's relation.

    >>> link_kind_label("NOT_A_KIND")  # unknown: the kind as stored
    'NOT_A_KIND'
    """
    return str(LINKS.get(("out", kind), kind))


def field_label(name: str) -> str:
    """The translated name of a field."""
    return str(FIELDS.get(name, name.replace("_", " ").capitalize()))


def change_field_label(name: str) -> str:
    """The translated name of a field of a plan comparison, a bilingual field with its
    language (``title.nl``: "Titel.nl", as the comparison's caption explains).

    >>> change_field_label("odd_field")
    'Odd field'
    """
    base, dot, lang = name.rpartition(".")
    if dot and lang in LANGUAGES:
        return f"{field_label(base)}.{lang}"
    return field_label(name)


def field_value(value: Any) -> Markup | str:
    """A field value for display: texts in the chosen language, choices translated, lists
    joined, booleans as yes/no."""
    if isinstance(value, Text):
        return plan_text(value)
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, tuple | list):
        return ", ".join(str(field_value(v)) for v in value)
    if isinstance(value, str):
        return str(VALUES.get(value, value))
    return str(value)


def status_label(status: str | None) -> str:
    """The name of a status in the chosen language (the diagram legend's words)."""
    style = STATUS_STYLE.get(status or "no_data", STATUS_STYLE["no_data"])
    return style[3] if current_lang() == "en" else style[4]


def status_cue(status: str | None) -> str:
    """The symbol of a status (the shape cue that goes with its colour)."""
    return STATUS_STYLE.get(status or "no_data", STATUS_STYLE["no_data"])[1]


def revision_label(status: str) -> str:
    """The translated name of a revision's state (draft, submitted, approved, returned)."""
    return str(REVISIONS.get(status, status))


def role_label(role: str | None) -> str:
    """The translated name of a role."""
    return str(ROLES.get(role or "", role or ""))


def workflow_text(error: WorkflowError) -> str:
    """Why a workflow step was refused, in the user's language, after the indicator and
    period it concerns (the English message for a rule without a translation)."""
    if error.reason in ("", "permission"):
        return str(error)
    where = f"{error.indicator} {error.period}: " if error.indicator else ""
    return where + _workflow_reason(error)


def _workflow_reason(error: WorkflowError) -> str:
    details, reason = error.details, error.reason
    if reason == "transition":
        status = str(details.get("status") or "")
        state = revision_label(status) if status else _("not recorded yet")
        texts = {
            "save": _("This value cannot be saved as a draft (status: %(state)s).", state=state),
            "submit": _("This value cannot be submitted (status: %(state)s).", state=state),
            "approve": _("This value cannot be approved (status: %(state)s).", state=state),
            "return": _("This value cannot be returned (status: %(state)s).", state=state),
        }
        return texts.get(str(details.get("action")), str(error))
    if reason == "period":
        return _("%(period)s is not one of this indicator's periods.", period=error.period)
    if reason == "value_required":
        return _("Enter a value first.")
    if reason == "note_required":
        return _("Write a note saying what to change before returning a value.")
    if reason == "four_eyes":
        return _(
            "You submitted this value yourself; another reviewer must approve it (four-eyes rule)."
        )
    if reason == "system_reason":
        return _(
            "The reason reads as a note the system writes (such as an import's); word it "
            "differently."
        )
    if reason == "returned_unedited":
        return _("The value was returned for a change; edit it before submitting it again.")
    if reason == "invalid_value":
        return _(
            "The value cannot be recorded: %(problems)s.",
            problems="; ".join(str(p) for p in _listed(details.get("problems"))),
        )
    return str(error)


_FLAG = re.compile(r"parts by (?P<by>.+) add up to (?P<sum>\S+), not to the total (?P<total>\S+)")


def flag_label(flag: str) -> str:
    """A revision's warning flag in the user's language. Flags are stored as English text (the
    audit log keeps what was said); the known forms are translated, others shown as stored.

    >>> flag_label("checked by hand")  # not a known form: shown as stored
    'checked by hand'
    """
    if flag == SELF_APPROVED:
        return _("approved by the person who submitted it (four-eyes rule)")
    match = _FLAG.fullmatch(flag)
    if match is None:
        return value_warning_label(flag) or flag
    return _(
        "parts by %(by)s add up to %(sum)s, not to the total %(total)s",
        by=match["by"],
        sum=match["sum"],
        total=match["total"],
    )


def init_app(app: Flask) -> None:
    """Make the label functions available in templates."""
    app.jinja_env.globals.update(
        kind_label=kind_label,
        link_label=link_label,
        link_kind_label=link_kind_label,
        field_label=field_label,
        change_field_label=change_field_label,
        field_value=field_value,
        status_label=status_label,
        status_cue=status_cue,
        role_label=role_label,
        revision_label=revision_label,
        flag_label=flag_label,
        problem_label=problem_label,
        note_label=note_label,
    )


def _listed(value: object) -> list[object]:
    """The items of a list or tuple from an error's details (nothing for anything else)."""
    return list(value) if isinstance(value, list | tuple) else []
