"""The library of named evaluation queries: what each asks (in Dutch and English), the
OECD-DAC criterion it serves, its parameters, and its Cypher.

The Cypher of a query is the file ``<name>.cypher`` next to this module, written once for both
engines (LadybugDB and Neo4j); an engine-specific variant, when one is unavoidable, is
``<name>.<backend>.cypher`` and wins for that engine. The text is meant to be shown: an
evaluator can paste it into Neo4j Browser with the parameters ``toc query show`` prints.

Statuses are not stored in the graph: they are computed from the indicators
(:func:`indicators.pathway_status.compute_plan_status`) and passed in as parameters of type
``status`` or ``progress`` by the runner (:mod:`graphdb.evaluation.run`), which also computes
the parameters whose default depends on the data (``computed`` defaults).

>>> q = get_query("sdg_pathways")
>>> q.criterion, [p.name for p in q.parameters]
('relevance', ['strategy', 'sdg'])
>>> "MATCH (s:Strategy)" in q.cypher()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from toc.model import Text

__all__ = [
    "CRITERIA",
    "PARAMETER_TYPES",
    "QUERIES",
    "EvaluationQuery",
    "Parameter",
    "UnknownQuery",
    "get_query",
    "queries_by_criterion",
]

#: The OECD-DAC evaluation criteria, in their usual order, with their names.
CRITERIA: dict[str, Text] = {
    "relevance": Text("Relevantie", "Relevance"),
    "coherence": Text("Coherentie", "Coherence"),
    "effectiveness": Text("Doeltreffendheid", "Effectiveness"),
    "efficiency": Text("Doelmatigheid", "Efficiency"),
    "impact": Text("Impact", "Impact"),
    "sustainability": Text("Duurzaamheid", "Sustainability"),
}

#: Parameter types: ``node`` (a node id of ``kind``, '' for all), ``text``, ``year`` (text such
#: as '2029'), ``date`` (YYYY-MM-DD), and the computed ``status`` ([{id, status, own}]) and
#: ``progress`` ([{id, year, period, status}]) and ``changes`` ([{version, item, id, kind,
#: change, fields}]: the nodes and links each plan version changed, from its kept content)
#: and ``confidence`` ([{source, target, posterior, earlier, pct, earlier_pct, items,
#: illustrative}]: every
#: causal link's confidence from the recorded and derived evidence, as of ``until`` and, in
#: ``earlier``, as of ``since`` when the query has those parameters).
PARAMETER_TYPES = (
    "node", "text", "year", "date", "status", "progress", "changes", "confidence"
)  # fmt: skip
#: Types the runner always supplies (a user may pass them only as JSON).
COMPUTED_TYPES = ("status", "progress", "changes", "confidence")


class UnknownQuery(KeyError):
    """No evaluation query has this name."""

    def __str__(self) -> str:
        return f"no evaluation query named {self.args[0]!r}; `toc query list` lists them"


@dataclass(frozen=True)
class Parameter:
    """One parameter of a query. ``default`` None with a computed type or ``computed=True``
    means the runner works the value out from the store (see :mod:`graphdb.evaluation.run`)."""

    name: str
    type: str
    description: Text
    default: Any = None
    kind: str | None = None
    computed: bool = False

    def __post_init__(self) -> None:
        if self.type not in PARAMETER_TYPES:
            raise ValueError(f"unknown parameter type {self.type!r}")

    @property
    def supplied(self) -> bool:
        """True when the runner supplies the value (statuses), not the user."""
        return self.type in COMPUTED_TYPES


@dataclass(frozen=True)
class EvaluationQuery:
    """A named, parameterised question about the plan graph."""

    name: str
    criterion: str
    title: Text
    explanation: Text
    parameters: tuple[Parameter, ...] = ()

    def __post_init__(self) -> None:
        if self.criterion not in CRITERIA:
            raise ValueError(f"{self.name}: unknown criterion {self.criterion!r}")

    def cypher(self, backend: str | None = None) -> str:
        """The query's Cypher, the ``backend``'s own variant when there is one."""
        return _cypher_text(self.name, backend or "")

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@cache
def _cypher_text(name: str, backend: str) -> str:
    folder = resources.files(__package__)
    variant = folder / f"{name}.{backend}.cypher"
    source = variant if backend and variant.is_file() else folder / f"{name}.cypher"
    return source.read_text(encoding="utf-8")


def _p(name: str, type_: str, nl: str, en: str, **kw: Any) -> Parameter:
    return Parameter(name, type_, Text(nl, en), **kw)


_STATUS = _p(
    "status",
    "status",
    "Berekende status per resultaat: lijst van {id, status (gecombineerd), own (eigen "
    "indicatoren)}; de toepassing vult dit in.",
    "Computed status per result: a list of {id, status (combined), own (own indicators)}; "
    "filled in by the tool.",
)
_SDG = _p("sdg", "node", "SDG (leeg: alle SDG's)", "SDG (empty: every SDG)", default="", kind="SDG")
_SINCE = _p(
    "since",
    "date",
    "Vanaf deze datum (JJJJ-MM-DD; standaard: de eerste opgeslagen versie)",
    "From this date (YYYY-MM-DD; default: the first saved version)",
    computed=True,
)
_UNTIL = _p(
    "until",
    "date",
    "Tot en met deze datum (JJJJ-MM-DD; standaard: vandaag)",
    "Up to and including this date (YYYY-MM-DD; default: today)",
    computed=True,
)
_CHANGES = _p(
    "changes",
    "changes",
    "Berekende wijzigingen per versie: lijst van {version, item (node/link), id, kind, change "
    "(added/removed/changed), fields}, uit de bewaarde inhoud van elke versie; de toepassing "
    "vult dit in.",
    "Computed changes per version: a list of {version, item (node/link), id, kind, change "
    "(added/removed/changed), fields}, from the kept content of each version; filled in by "
    "the tool.",
)


def _q(name: str, criterion: str, title: tuple[str, str], explanation: tuple[str, str],
       *parameters: Parameter) -> EvaluationQuery:  # fmt: skip
    return EvaluationQuery(name, criterion, Text(*title), Text(*explanation), parameters)


_CONFIDENCE = _p(
    "confidence",
    "confidence",
    "Berekend vertrouwen per oorzakelijk verband: lijst van {source, target, posterior, "
    "earlier, pct, earlier_pct, items, illustrative}; de toepassing vult dit in.",
    "Computed confidence per causal link: a list of {source, target, posterior, earlier, "
    "pct, earlier_pct, items, illustrative}; filled in by the tool.",
)

#: Every query, in catalogue order (grouped by criterion).
QUERIES: dict[str, EvaluationQuery] = {
    q.name: q
    for q in [
        _q(
            "sdg_pathways",
            "relevance",
            (
                "Paden van strategie naar SDG, en schakels zonder indicator",
                "Pathways from strategy to SDG, and links without an indicator",
            ),
            (
                "Welke oorzakelijke schakels liggen op de paden van een strategie naar een SDG, "
                "en hoeveel indicatoren meten het doel van elke schakel? Een schakel met 0 "
                "indicatoren kan niet tonen of die stap van het pad gebeurt. Basis 'judgement': "
                "het plan noemt de schakel niet (het koppelt strategieën niet aan "
                "doelstellingen), ze is een inschatting van wie het plan modelleerde.",
                "Which causal links lie on the pathways from a strategy up to an SDG, and how "
                "many indicators measure each link's target? A link with 0 indicators cannot "
                "show whether that step of the pathway happens. Basis 'judgement': the plan "
                "does not state the link (it does not map strategies to objectives); it is the "
                "judgement of whoever modelled the plan.",
            ),
            _p(
                "strategy",
                "node",
                "Strategie (leeg: alle strategieën)",
                "Strategy (empty: every strategy)",
                default="",
                kind="Strategy",
            ),
            _SDG,
        ),
        _q(
            "sdg_partners",
            "relevance",
            ("Partners die bijdragen aan een SDG", "Partners contributing to an SDG"),
            (
                "Welke partners helpen mee aan een strategie of resultaat dat op een pad naar "
                "de SDG ligt, en aan hoeveel van die knopen?",
                "Which partners help with a strategy or result that lies on a pathway to the "
                "SDG, and with how many of those nodes?",
            ),
            _SDG,
        ),
        _q(
            "sdg_countries",
            "relevance",
            ("Landen die bijdragen aan een SDG", "Countries contributing to an SDG"),
            (
                "In welke landen gebeurt het werk richting de SDG: strategieën die er actief "
                "zijn, of partners die er werken en helpen aan een knoop op een pad naar de SDG?",
                "In which countries does the work towards the SDG happen: strategies active "
                "there, or partners working there who help with a node on a pathway to the SDG?",
            ),
            _SDG,
        ),
        _q(
            "sdg_alignment",
            "relevance",
            ("Onderbouwing van de SDG's", "How the SDGs are backed"),
            (
                "Hoeveel doelstellingen en resultaten zijn primair of secundair op elke SDG "
                "gericht, en hoeveel indicatoren meten ze? Een SDG zonder doelstellingen of "
                "indicatoren is een claim die de monitoring niet kan staven.",
                "How many objectives and results are aligned with each SDG, as primary or "
                "secondary, and how many indicators measure them? An SDG with neither is a "
                "claim the monitoring cannot support.",
            ),
        ),
        _q(
            "plan_changes",
            "relevance",
            ("Wijzigingen van het plan tussen twee data", "Plan changes between two dates"),
            (
                "Welke knopen en schakels van het plan zijn tussen twee data toegevoegd, "
                "geschrapt of gewijzigd (welke velden), in welke versie, door wie en waarom? "
                "Het plan blijft relevant als het meebeweegt met de context.",
                "Which nodes and links of the plan were added, removed or changed (which "
                "fields) between two dates, in which version, by whom and why? A plan stays "
                "relevant when it adapts to its context.",
            ),
            _SINCE,
            _UNTIL,
            _CHANGES,
        ),
        _q(
            "indicator_changes",
            "relevance",
            (
                "Wijzigingen van indicatoren tussen twee data",
                "Indicator changes between two dates",
            ),
            (
                "Welke indicatordefinities zijn tussen twee data toegevoegd, gewijzigd of "
                "geschrapt, door wie en waarom? Bewoog het monitoringkader mee met het plan?",
                "Which indicator definitions were added, changed or removed between two dates, "
                "by whom and why? Did the monitoring framework move with the plan?",
            ),
            _SINCE,
            _UNTIL,
        ),
        _q(
            "shared_partners",
            "coherence",
            ("Partners over doelstellingen heen", "Partners across objectives"),
            (
                "Bij hoeveel knopen en strategische doelstellingen helpt elke partner? Partners "
                "die over doelstellingen heen werken verbinden het plan; partners bij één "
                "doelstelling doen dat niet.",
                "With how many nodes and strategic objectives does each partner help? Partners "
                "working across objectives tie the plan together; partners on one do not.",
            ),
        ),
        _q(
            "shared_assumptions",
            "coherence",
            ("Gedeelde aannames", "Shared assumptions"),
            (
                "Op hoeveel oorzakelijke schakels steunt elke aanname? Een aanname die veel "
                "schakels delen is een zwakke plek van de veranderingstheorie; een aanname "
                "zonder schakel is overbodig.",
                "How many causal links rely on each assumption? An assumption many links share "
                "is a weak point of the theory of change; one without links is dead weight.",
            ),
        ),
        _q(
            "country_coverage",
            "coherence",
            ("Landen en wat er gebeurt", "Countries and what happens there"),
            (
                "Per land: de status in het plan, de (actieve) partnerschappen, partners en "
                "strategieën die er werken. Een bevestigd land zonder activiteit, of activiteit "
                "in een land dat het plan niet kiest, vraagt uitleg.",
                "Per country: its status in the plan, the (active) partnerships, partners and "
                "strategies working there. A confirmed country without activity, or activity in "
                "a country the plan does not choose, needs explaining.",
            ),
        ),
        _q(
            "no_recent_data",
            "effectiveness",
            ("Resultaten zonder goedgekeurde data", "Results without approved data"),
            (
                "Welke doelstellingen en resultaten hebben geen goedgekeurde waarde voor de "
                "perioden van het gekozen jaar, hoeveel indicatoren meten ze, en hoeveel "
                "waarden werden ingediend of teruggestuurd?",
                "Which objectives and results have no approved value for the periods of the "
                "chosen year, how many indicators measure them, and how many values were "
                "submitted or returned?",
            ),
            _p(
                "year",
                "year",
                "Jaar (standaard: het laatste jaar met goedgekeurde data)",
                "Year (default: the latest year with approved data)",
                computed=True,
            ),
        ),
        _q(
            "on_track_under_off_track",
            "effectiveness",
            (
                "Bijdragen op schema onder een doel dat achterop raakt",
                "Contributions on track under a result that is not",
            ),
            (
                "Waar liggen de bijdragen op schema terwijl het resultaat erboven, volgens de "
                "eigen indicatoren, een risico loopt of achterop raakt? Wat het zou moeten "
                "bewegen wordt geleverd, maar het beweegt niet: de aannames van die schakel "
                "moeten getoetst worden.",
                "Where are the contributions on track while the result above them, by its own "
                "indicators, is at risk or off track? What should move it is delivered, yet it "
                "does not move: that link's assumptions need testing.",
            ),
            _STATUS,
        ),
        _q(
            "weakest_links",
            "effectiveness",
            ("Zwakste verbanden per strategische doelstelling", "Weakest links per objective"),
            (
                "Welke verbanden op de paden naar elke strategische doelstelling hebben het "
                "laagste vertrouwen, na het bewijs? Daar is de veranderingstheorie het zwakst.",
                "Which links on the pathways to each strategic objective have the lowest "
                "confidence, after the evidence? That is where the theory of change is weakest.",
            ),
            _CONFIDENCE,
        ),
        _q(
            "links_without_evidence",
            "effectiveness",
            ("Verbanden zonder bewijs", "Links without evidence"),
            (
                "Welke oorzakelijke verbanden hebben nog geen enkel bewijsstuk, vastgelegd of "
                "afgeleid uit indicatoren? Hun vertrouwen is alleen de voorafkans.",
                "Which causal links have no evidence yet, recorded or derived from indicators? "
                "Their confidence is only their prior.",
            ),
            _CONFIDENCE,
        ),
        _q(
            "confidence_fell",
            "effectiveness",
            ("Gedaald vertrouwen tussen twee data", "Confidence that fell between two dates"),
            (
                "Van welke verbanden daalde het vertrouwen tussen twee data, door bewijs dat "
                "ertegen spreekt? Grootste daling eerst.",
                "Which links lost confidence between two dates, through evidence against them? "
                "Largest fall first.",
            ),
            _p(
                "since",
                "date",
                "Vanaf deze datum (JJJJ-MM-DD; standaard: het eerste vastgelegde bewijsstuk)",
                "From this date (YYYY-MM-DD; default: the first recorded evidence item)",
                computed=True,
            ),
            _p(
                "until",
                "date",
                "Tot deze datum (JJJJ-MM-DD; standaard: het laatste vastgelegde bewijsstuk)",
                "Up to this date (YYYY-MM-DD; default: the last recorded evidence item)",
                computed=True,
            ),
            _CONFIDENCE,
        ),
        _q(
            "assumptions_under_pressure",
            "effectiveness",
            ("Aannames onder druk", "Assumptions under pressure"),
            (
                "Welke aannames zitten op schakels waarvan het resultaat stroomafwaarts achterop "
                "raakt of risico loopt? Die aannames toetst een evaluatie eerst.",
                "Which assumptions sit on links whose downstream result is off track or at "
                "risk? Those are the assumptions an evaluation checks first.",
            ),
            _STATUS,
        ),
        _q(
            "budget_vs_progress",
            "efficiency",
            ("Budget per jaar en voortgang", "Budget by year and progress"),
            (
                "Het jaarbudget naast de status van elke strategische doelstelling met de "
                "waarden tot en met dat jaar, en het aantal goedgekeurde waarden van dat jaar "
                "op haar pad: levert het geld voortgang op?",
                "The yearly budget next to each strategic objective's status with the values up "
                "to that year, and the number of values approved that year on its pathway: does "
                "the money buy progress?",
            ),
            _p(
                "progress",
                "progress",
                "Berekende status per strategische doelstelling en jaar: lijst van {id, year, "
                "period, status}; de toepassing vult dit in.",
                "Computed status per strategic objective and year: a list of {id, year, period, "
                "status}; filled in by the tool.",
            ),
        ),
        _q(
            "budget_by_year",
            "efficiency",
            ("Budget per jaar en kostensoort", "Budget by year and cost category"),
            (
                "Het financieel plan per jaar en kostensoort, met het aandeel beheer en "
                "administratie in het totaal.",
                "The financial plan per year and cost category, with the share of management "
                "and administration in the total.",
            ),
        ),
        _q(
            "administration_share_claim",
            "efficiency",
            (
                "Aandeel administratiekosten: wat het plan zegt en wat het budget toont",
                "Administration share: what the plan says and what the budget shows",
            ),
            (
                "Wat het plan zegt over het aandeel van de administratiekosten (dalen, stijgen, "
                "gelijk blijven), naast het aandeel dat ze elk jaar in het eigen financieel plan "
                "innemen: toont het budget de verandering die de tekst belooft?",
                "What the plan says the share of administration costs will do (fall, rise, "
                "stay), beside the share they take of each year's total in its own financial "
                "plan: does the budget show the change the text promises?",
            ),
        ),
        _q(
            "review_backlog",
            "efficiency",
            ("Stand van de rapportering per indicator", "Reporting state per indicator"),
            (
                "Per indicator: hoeveel perioden zijn goedgekeurd, wachten op nazicht, werden "
                "teruggestuurd of zijn een ontwerp, en wat is de laatste goedgekeurde periode? "
                "Waarden die wachten of terugkomen kosten het monitoringsysteem tijd.",
                "Per indicator: how many periods are approved, waiting for review, returned or "
                "draft, and which is the latest approved period? Values that wait or come back "
                "cost the monitoring system time.",
            ),
        ),
        _q(
            "sdg_progress",
            "impact",
            ("Voortgang per SDG", "Progress per SDG"),
            (
                "Per SDG: de resultaten die erop gericht zijn, volgens hun berekende status. Is "
                "het plan op koers voor de doelen die het wil dienen?",
                "Per SDG: the results aligned with it, by their computed status. Is the plan on "
                "course for the goals it claims to serve?",
            ),
            _STATUS,
        ),
        _q(
            "beneficiary_progress",
            "impact",
            ("Voortgang per doelgroep", "Progress per beneficiary group"),
            (
                "Per doelgroep: de resultaten die haar beogen, volgens hun berekende status. "
                "Wie bereikt het plan, en voor wie raakt het achterop?",
                "Per beneficiary group: the results targeting it, by their computed status. Who "
                "does the plan reach, and for whom does it fall behind?",
            ),
            _STATUS,
        ),
        _q(
            "single_strategy_objectives",
            "sustainability",
            (
                "Doelstellingen die op één strategie steunen",
                "Objectives resting on one strategy",
            ),
            (
                "Welke (strategische) doelstellingen bereikt geen of maar één strategie? Valt "
                "die strategie weg, dan draagt niets anders ze.",
                "Which (strategic) objectives does no strategy, or only one, reach? If that "
                "strategy stops, nothing else carries them.",
            ),
        ),
        _q(
            "partnership_status",
            "sustainability",
            ("Partnerschappen per land", "Partnerships per country"),
            (
                "Partnerschappen per land met hun soort, status (actief, opgeschort, gepland, "
                "beëindigd) en aantal partners: rusten de resultaten op blijvende "
                "partnerschappen?",
                "Partnerships per country with their type, status (active, on hold, planned, "
                "ended) and number of partners: will the results rest on lasting partnerships?",
            ),
        ),
        _q(
            "funding_dependence",
            "sustainability",
            ("Afhankelijkheid van donoren", "Dependence on donors"),
            (
                "Ontvangen financiering per jaar en donor, met het aandeel van de donor in dat "
                "jaar: hoe afhankelijk is de organisatie van één donor, en verandert dat?",
                "Funding received per year and donor, with the donor's share of that year: how "
                "dependent is the organisation on one donor, and is that changing?",
            ),
        ),
    ]
}


def get_query(name: str) -> EvaluationQuery:
    """The query called ``name``; :class:`UnknownQuery` when there is none."""
    try:
        return QUERIES[name]
    except KeyError:
        raise UnknownQuery(name) from None


def queries_by_criterion() -> dict[str, list[EvaluationQuery]]:
    """The queries grouped by criterion, in the order of :data:`CRITERIA`."""
    return {c: [q for q in QUERIES.values() if q.criterion == c] for c in CRITERIA}
