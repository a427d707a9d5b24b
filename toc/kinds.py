"""The vocabulary of a theory of change: which node and edge kinds exist and what they may hold.

Everything else is derived from these declarations: validation, the plan file's JSON Schema,
the store's tables and the documentation of the data model. Adding a field or a kind here
is the one change needed to carry it through the whole tool.

>>> NODE_KINDS["Objective"].fields["number"].type
'int'
>>> EDGE_KINDS["CONTRIBUTES_TO"].allows("Strategy", "Objective")
True
>>> EDGE_KINDS["CONTRIBUTES_TO"].allows("SDG", "Objective")
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CAUSAL_KINDS",
    "COMMON_NODE_FIELDS",
    "EDGE_KINDS",
    "FIELD_TYPES",
    "LANGUAGES",
    "NODE_KINDS",
    "PLAN_DATA_KINDS",
    "EdgeKind",
    "FieldSpec",
    "NodeKind",
]

LANGUAGES: tuple[str, ...] = ("nl", "en")

# Field types: "text" is bilingual ({nl, en}), "strings" a list of plain strings.
FIELD_TYPES: tuple[str, ...] = ("str", "text", "int", "float", "bool", "date", "strings")


@dataclass(frozen=True)
class FieldSpec:
    """One kind-specific field: its type, whether it is required and its allowed values."""

    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    doc: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"unknown field type {self.type!r}")


@dataclass(frozen=True)
class NodeKind:
    """A node kind (a label in Neo4j, a node table in LadybugDB)."""

    name: str
    doc: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)
    level: int | None = None  # place in the causal ladder, for diagrams and roll-up
    #: Figures and facts the plan states (budget, funding, governance, staff): they stand on
    #: their own, so a node of such a kind without links is not a gap of the theory of change.
    plan_data: bool = False


@dataclass(frozen=True)
class EdgeKind:
    """An edge kind (a relationship type) with the source and target kinds it may connect."""

    name: str
    doc: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    fields: dict[str, FieldSpec] = field(default_factory=dict)

    def allows(self, source_kind: str, target_kind: str) -> bool:
        """True when an edge of this kind may go from ``source_kind`` to ``target_kind``."""
        return source_kind in self.sources and target_kind in self.targets


def _f(type_: str, doc: str = "", **kw: Any) -> FieldSpec:
    return FieldSpec(type_, doc=doc, **kw)


YEAR = {"minimum": 1900, "maximum": 2200}

PARTNER_TYPES: tuple[str, ...] = (
    "flemish_local_government",
    "partner_municipality",
    "sister_association",
    "synergy_partner",
    "strategic_partner",
    "network",
    "donor",
)

# Fields every node has, besides id and kind. Documented in docs/data-model.md.
COMMON_NODE_FIELDS: dict[str, FieldSpec] = {
    "title": _f("text", "Title in Dutch and English", required=True),
    "description": _f("text", "Explanation in Dutch and English"),
    "source": _f("str", "Where in the plan this comes from, e.g. '§3 SD1'"),
    "stated_in": _f(
        "strings", "Language versions of the plan that state this (default: all)", choices=LANGUAGES
    ),
    "note": _f("str", "Modelling note: judgement calls, caveats"),
}

_CAUSAL_LEVELS = {
    "Strategy": 0,
    "Output": 1,
    "Outcome": 2,
    "Objective": 3,
    "StrategicObjective": 4,
}

#: An IATI activity's status code and dates (ActivityDateType 1-4), as a Plan started from
#: one activity and an :data:`IatiActivity <NODE_KINDS>` node keep them.
_ACTIVITY_FACTS: dict[str, FieldSpec] = {
    "iati_activity_status": _f(
        "str",
        "IATI ActivityStatus code of the activity",
        choices=("1", "2", "3", "4", "5", "6"),
    ),
    **{
        f"iati_{name}": _f("date", f"IATI activity date: {name.replace('_', ' ')}")
        for name in ("planned_start", "actual_start", "planned_end", "actual_end")
    },
}

NODE_KINDS: dict[str, NodeKind] = {
    k.name: k
    for k in [
        NodeKind(
            "Plan",
            "The strategic plan itself; one per store.",
            {
                "organisation": _f("str", "Organisation that owns the plan", required=True),
                "start_year": _f("int", "First year of the plan", required=True, **YEAR),
                "end_year": _f("int", "Last year of the plan", required=True, **YEAR),
                "currency": _f("str", "ISO 4217 currency of all amounts", required=True),
                "dac_sector": _f("str", "OECD-DAC purpose code"),
                "languages": _f("strings", "Languages the plan is written in", choices=LANGUAGES),
                "original_language": _f("str", "Language of the original text", choices=LANGUAGES),
                "vision": _f("text", "The organisation's vision behind the plan"),
                "mission": _f("text", "The organisation's mission"),
                "max_countries_global_south": _f(
                    "int", "Most Global-South countries the plan will work in", minimum=0
                ),
                # A plan started by an IATI import keeps its activity's status and dates, and
                # the IATI export writes them back.
                **_ACTIVITY_FACTS,
            },
        ),
        NodeKind(
            "StrategicObjective",
            "A long-term (10-year) objective.",
            {
                "number": _f("int", "Number in the plan", required=True, minimum=1),
                "short_title": _f("text", "Short name used as a heading"),
                "start_year": _f("int", "", **YEAR),
                "end_year": _f("int", "", **YEAR),
                "cross_cutting": _f("bool", "Transversal objective"),
            },
            level=_CAUSAL_LEVELS["StrategicObjective"],
        ),
        NodeKind(
            "Objective",
            "A medium-term (5-year) objective under a strategic objective.",
            {
                "number": _f(
                    "int", "Number within its strategic objective", required=True, minimum=1
                ),
                "start_year": _f("int", "", **YEAR),
                "end_year": _f("int", "", **YEAR),
            },
            level=_CAUSAL_LEVELS["Objective"],
        ),
        NodeKind(
            "Outcome",
            "A lower-level result an M&E officer adds under an objective.",
            {"start_year": _f("int", "", **YEAR), "end_year": _f("int", "", **YEAR)},
            level=_CAUSAL_LEVELS["Outcome"],
        ),
        NodeKind(
            "Output",
            "A deliverable that contributes to an outcome or objective.",
            {"start_year": _f("int", "", **YEAR), "end_year": _f("int", "", **YEAR)},
            level=_CAUSAL_LEVELS["Output"],
        ),
        NodeKind(
            "Strategy",
            "A way of working through which the organisation pursues its objectives.",
            {"number": _f("int", "Order in the plan", minimum=1)},
            level=_CAUSAL_LEVELS["Strategy"],
        ),
        NodeKind("Role", "A core role of the organisation (e.g. advocacy).", {}),
        NodeKind(
            "SDG",
            "A Sustainable Development Goal.",
            {"number": _f("int", "Goal number", required=True, minimum=1, maximum=17)},
        ),
        NodeKind(
            "SDGTarget",
            "A target under an SDG (e.g. 16.6).",
            {"code": _f("str", "Target code", required=True)},
        ),
        NodeKind(
            "Country",
            "A country the organisation works in or considers.",
            {
                "iso2": _f("str", "ISO 3166-1 alpha-2 code", required=True),
                "region": _f("str", "", choices=("belgium", "global_south")),
                "active_2024": _f("bool", "Active in 2024"),
                "status_from_2027": _f(
                    "str",
                    "Status for the plan period",
                    choices=("confirmed", "under_evaluation", "candidate", "not_planned"),
                ),
                "english_speaking": _f("bool", ""),
                "placeholder": _f("bool", "Not a named country yet (e.g. 'a new ... country')"),
            },
        ),
        NodeKind(
            "Partner",
            "An organisation the plan works with or is funded by.",
            {
                "partner_type": _f(
                    "str",
                    "",
                    required=True,
                    choices=PARTNER_TYPES,
                ),
                "acronym": _f("str", ""),
                "collective": _f("bool", "Stands for a group (e.g. all Flemish municipalities)"),
                "status": _f(
                    "str",
                    "Whether the partnership exists or is being explored",
                    choices=("active", "prospective"),
                ),
                "also_types": _f(
                    "strings",
                    "Other partner types the plan gives it",
                    choices=PARTNER_TYPES,
                ),
            },
        ),
        NodeKind(
            "Partnership",
            "A partnership such as a town twinning; links partners and a country.",
            {
                "partnership_type": _f(
                    "str",
                    "",
                    required=True,
                    choices=("town_twinning", "sdg_partnership", "sister_association"),
                ),
                "status": _f(
                    "str", "", required=True, choices=("active", "on_hold", "planned", "ended")
                ),
                "as_of": _f("date", "Date the status refers to"),
                "named_in_plan": _f("bool", "False when the plan only counts it"),
            },
        ),
        NodeKind(
            "BeneficiaryGroup",
            "A group the plan serves.",
            {
                "beneficiary_type": _f("str", "", required=True, choices=("direct", "final")),
            },
        ),
        NodeKind("Assumption", "A condition a causal link relies on.", {}),
        NodeKind(
            "BudgetLine",
            "One figure of the financial plan: a cost category for a year or a period.",
            {
                "category": _f(
                    "str",
                    "",
                    required=True,
                    choices=("administration", "management", "operating", "total"),
                ),
                "year": _f("int", "Year, for a yearly figure", **YEAR),
                "period": _f("str", "Period 'YYYY-YYYY', for a total over years"),
                "amount": _f("float", "Amount in the plan's currency", required=True),
            },
            plan_data=True,
        ),
        NodeKind(
            "Funding",
            "Funding received in a past year, by donor (or the stated total).",
            {
                "year": _f("int", "", required=True, **YEAR),
                "amount": _f("float", "Amount in the plan's currency", required=True),
                "row": _f("str", "Row of the table", required=True, choices=("donor", "total")),
            },
            plan_data=True,
        ),
        NodeKind(
            "GoverningBody",
            "A governing or management body of the organisation and what the plan says of it.",
            {
                "body_type": _f(
                    "str",
                    "Governance (elected mandate holders) or management (staff)",
                    required=True,
                    choices=("governance", "management"),
                ),
                "meetings_per_year": _f(
                    "int",
                    "How often it meets (twice a year: 2, monthly: 12, fortnightly: 26)",
                    minimum=0,
                ),
                "members": _f("int", "Members, as the plan counts them", minimum=0),
                "members_count": _f(
                    "str",
                    "How the member count is meant",
                    choices=("exactly", "more_than", "about"),
                ),
                "bodies": _f("int", "How many bodies of this kind (default 1)", minimum=1),
                "since_year": _f("int", "Year it was set up", **YEAR),
                "chair": _f("str", "Its chair, as named in the plan"),
                "as_of": _f("date", "Date the chair or membership refers to"),
            },
            plan_data=True,
        ),
        NodeKind(
            "StaffFigure",
            "A head count or FTE figure of the organisation or one of its parts.",
            {
                "scope": _f(
                    "str",
                    "What the figure covers",
                    required=True,
                    choices=("organisation", "department", "team", "programme", "function"),
                ),
                "people": _f("int", "Number of people", minimum=0),
                "approximate": _f("bool", "The plan gives the number of people as 'about'"),
                "fte": _f("float", "Full-time equivalents", minimum=0),
                "year": _f("int", "Year the figure refers to", **YEAR),
                "as_of": _f("date", "Date the figure refers to"),
            },
            plan_data=True,
        ),
        NodeKind(
            "RevenueShare",
            "One source's share of the organisation's revenue; the shares of a split add to 100.",
            {
                "revenue_source": _f(
                    "str",
                    "",
                    required=True,
                    choices=("membership_fees", "subsidies", "own_activities"),
                ),
                "share": _f("float", "Share in percent", required=True, minimum=0, maximum=100),
                "year": _f("int", "Year of the split, when the plan gives one", **YEAR),
            },
            plan_data=True,
        ),
        NodeKind(
            "Claim",
            "A statement of the plan about one of its own figures, for an evaluator to set "
            "beside what the figures show.",
            {
                "measure": _f(
                    "str",
                    "The figure the statement is about",
                    required=True,
                    choices=("administration_cost_share",),
                ),
                "direction": _f(
                    "str",
                    "What the plan says the figure will do",
                    required=True,
                    choices=("falls", "rises", "stays"),
                ),
            },
            plan_data=True,
        ),
        NodeKind(
            "IatiActivity",
            "An activity of an IATI file whose results were imported into a plan it did not "
            "start (node id ``iati.<activity key>``, the key of its indicators' codes): its "
            "status and dates, which the IATI export writes back.",
            {
                "identifier": _f("str", "The activity's iati-identifier", required=True),
                "publisher": _f("str", "The reporting-org ref of the file it came from"),
                **_ACTIVITY_FACTS,
            },
            plan_data=True,
        ),
        NodeKind(
            "TextVariance",
            "A place where the language versions of the plan say different things.",
            {
                "topic": _f("str", "", required=True),
                "value_nl": _f("str", "What the Dutch text says"),
                "value_en": _f("str", "What the English text says"),
            },
        ),
    ]
}

PLAN_DATA_KINDS: tuple[str, ...] = tuple(k for k, v in NODE_KINDS.items() if v.plan_data)

CAUSAL_KINDS: tuple[str, ...] = tuple(sorted(_CAUSAL_LEVELS, key=_CAUSAL_LEVELS.__getitem__))

_RATIONALE = {
    "rationale": _f("text", "Why this link holds"),
    "source": _f("str", "Plan section supporting the link"),
    "basis": _f(
        "str",
        "Whether the plan states the link or it is a modelling judgement (default: stated)",
        choices=("stated", "judgement"),
    ),
    "stated_in": COMMON_NODE_FIELDS["stated_in"],
    "note": _f("str", "Modelling note"),
}

_ALL_NODE_KINDS = tuple(NODE_KINDS)

EDGE_KINDS: dict[str, EdgeKind] = {
    k.name: k
    for k in [
        EdgeKind(
            "CONTRIBUTES_TO",
            "Causal link: the source helps bring about the target.",
            ("Strategy", "Output", "Outcome", "Objective"),
            ("Output", "Outcome", "Objective", "StrategicObjective"),
            {
                **_RATIONALE,
                "assumptions": _f("strings", "Ids of the Assumption nodes this link relies on"),
                "weight": _f("float", "Weight in roll-up (default 1)", minimum=0),
            },
        ),
        EdgeKind(
            "ALIGNS_WITH",
            "The source serves an SDG or SDG target.",
            ("Plan", "StrategicObjective", "Objective", "Outcome", "Output", "Strategy"),
            ("SDG", "SDGTarget"),
            {
                **_RATIONALE,
                "priority": _f("str", "", required=True, choices=("primary", "secondary")),
            },
        ),
        EdgeKind(
            "PERFORMED_THROUGH",
            "A strategy is carried out through a core role.",
            ("Strategy",),
            ("Role",),
            dict(_RATIONALE),
        ),
        EdgeKind(
            "WORKS_IN",
            "A partner, partnership or strategy is active in a country.",
            ("Partner", "Partnership", "Strategy"),
            ("Country",),
            dict(_RATIONALE),
        ),
        EdgeKind(
            "PARTICIPATES_IN",
            "A partner takes part in a partnership.",
            ("Partner",),
            ("Partnership",),
            {**_RATIONALE, "role": _f("str", "Side of the partnership")},
        ),
        EdgeKind(
            "PARTNERS_IN",
            "A partner or network helps carry out a strategy or reach an objective.",
            ("Partner",),
            ("Strategy", "StrategicObjective", "Objective", "Outcome", "Output"),
            dict(_RATIONALE),
        ),
        EdgeKind(
            "TARGETS",
            "An objective or the plan serves a beneficiary group.",
            ("Plan", "StrategicObjective", "Objective", "Outcome"),
            ("BeneficiaryGroup",),
            dict(_RATIONALE),
        ),
        EdgeKind(
            "FUNDS",
            "A donor funds the plan, a budget line or a funding record.",
            ("Partner",),
            ("Plan", "BudgetLine", "Funding"),
            dict(_RATIONALE),
        ),
        EdgeKind(
            "SUBTARGET_OF",
            "An SDG target belongs to its goal.",
            ("SDGTarget",),
            ("SDG",),
            {},
        ),
        EdgeKind(
            "CONCERNS",
            "A language variance concerns this element of the plan.",
            ("TextVariance",),
            _ALL_NODE_KINDS,
            {},
        ),
    ]
}
