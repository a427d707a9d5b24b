"""Hypothesis strategies for plans: random valid plans and ways to break them."""

from __future__ import annotations

from hypothesis import strategies as st

from toc.model import Edge, Node, Plan, Text

# Any text a person could type, including quotes, brackets, braces, backslashes and
# non-Latin scripts; surrogates cannot be encoded at all, so they are left out.
any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
nasty_text = st.one_of(
    any_text,
    st.sampled_from(['"', "'", "<b>", "</text><script>x</script>", "{}", "\\N", "\\",
                     "ع ربي", "中文", "🙂", "a\nb", "]]>", "&amp;", "\x00"]),
)  # fmt: skip


@st.composite
def texts(draw, required: bool = True) -> Text:
    nl, en = draw(nasty_text), draw(nasty_text)
    if required and not (nl or en):
        en = "x"
    return Text(nl, en)


@st.composite
def valid_plans(draw) -> Plan:
    """A random plan that passes validation (it may still have warnings)."""
    start = draw(st.integers(2000, 2100))
    end = start + draw(st.integers(0, 15))
    year = st.integers(start, end)
    nodes = [
        Node("Plan", "plan", draw(texts()), draw(texts(required=False)), props={
            "organisation": draw(nasty_text), "start_year": start, "end_year": end,
            "currency": "EUR"}),
    ]  # fmt: skip
    n_so = draw(st.integers(1, 3))
    sos = [f"so{i}" for i in range(1, n_so + 1)]
    for i, so in enumerate(sos, 1):
        nodes.append(Node("StrategicObjective", so, draw(texts()), props={
            "number": i, "short_title": draw(texts(required=False)),
            "cross_cutting": draw(st.booleans())}))  # fmt: skip
    objectives = []
    for i in range(draw(st.integers(0, 4))):
        oid = f"{sos[i % n_so]}.o{i + 1}"
        objectives.append(oid)
        a, b = sorted((draw(year), draw(year)))
        nodes.append(Node("Objective", oid, draw(texts()), draw(texts(required=False)),
                          source=draw(nasty_text), props={"number": i + 1, "start_year": a,
                                                          "end_year": b}))  # fmt: skip
    strategies = [f"s{i}" for i in range(1, draw(st.integers(0, 4)) + 1)]
    for s in strategies:
        nodes.append(Node("Strategy", s, draw(texts()), note=draw(nasty_text)))
    sdgs = draw(st.lists(st.integers(1, 17), unique=True, max_size=3))
    for g in sdgs:
        nodes.append(
            Node(
                "SDG",
                f"sdg{g}",
                draw(texts()),
                props={"number": g},
                stated_in=draw(st.sampled_from([("nl", "en"), ("en",), ("nl",)])),
            )
        )
    nodes.append(Node("Assumption", "a1", draw(texts())))
    nodes.append(Node("BudgetLine", "b1", draw(texts()), props={
        "category": "total", "year": draw(year),
        "amount": draw(st.floats(0, 1e9, allow_nan=False))}))  # fmt: skip

    edges = []
    for oid in objectives:
        edges.append(
            Edge(
                "CONTRIBUTES_TO", oid, oid.split(".")[0], {"rationale": draw(texts(required=False))}
            )
        )
    for s in strategies:
        for oid in draw(st.lists(st.sampled_from(objectives), unique=True)) if objectives else []:
            props = {"weight": draw(st.floats(0, 10, allow_nan=False))}
            if draw(st.booleans()):
                props["assumptions"] = ("a1",)
            edges.append(Edge("CONTRIBUTES_TO", s, oid, props))
    for g in sdgs:
        for src in draw(st.lists(st.sampled_from(sos + objectives), unique=True, max_size=2)):
            edges.append(
                Edge(
                    "ALIGNS_WITH",
                    src,
                    f"sdg{g}",
                    {"priority": draw(st.sampled_from(["primary", "secondary"]))},
                )
            )
    return Plan.of(nodes, edges)


def _dangling(plan: Plan) -> Plan:
    return Plan.of(plan.nodes, [*plan.edges, Edge("CONTRIBUTES_TO", "so1", "nowhere")])


def _duplicate_id(plan: Plan) -> Plan:
    return Plan.of([*plan.nodes, Node("Role", "so1", Text(en="dup"))], plan.edges)


def _cycle(plan: Plan) -> Plan:
    extra = [Node("Outcome", "x1", Text(en="x")), Node("Outcome", "x2", Text(en="y"))]
    return Plan.of(
        [*plan.nodes, *extra],
        [*plan.edges, Edge("CONTRIBUTES_TO", "x1", "x2"), Edge("CONTRIBUTES_TO", "x2", "x1")],
    )


def _disallowed(plan: Plan) -> Plan:
    return Plan.of(plan.nodes, [*plan.edges, Edge("CONTRIBUTES_TO", "plan", "so1")])


def _bad_year(plan: Plan) -> Plan:
    bad = Node(
        "Objective", "bad", Text(en="b"), props={"number": 1, "start_year": 2031, "end_year": 2027}
    )
    return Plan.of([*plan.nodes, bad], plan.edges)


def _missing_required(plan: Plan) -> Plan:
    return Plan.of([*plan.nodes, Node("SDG", "sdgx", Text(en="no number"))], plan.edges)


def _unknown_field(plan: Plan) -> Plan:
    return Plan.of(
        [*plan.nodes, Node("Role", "rx", Text(en="r"), props={"colour": "red"})], plan.edges
    )


BREAKERS = [_dangling, _duplicate_id, _cycle, _disallowed, _bad_year, _missing_required,
            _unknown_field]  # fmt: skip


@st.composite
def invalid_plans(draw) -> Plan:
    """A valid random plan broken in one random way."""
    plan = draw(valid_plans())
    return draw(st.sampled_from(BREAKERS))(plan)
