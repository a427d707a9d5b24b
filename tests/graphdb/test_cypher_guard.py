"""The guard on ad-hoc Cypher: exact refusals, the named queries pass, and properties of the
tokenizer over any text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphdb.cypher_guard import REFUSED_WORDS, QueryRefused, ensure_read_only, tokens
from graphdb.evaluation import QUERIES


def _refusal(cypher: str) -> tuple[str, str]:
    with pytest.raises(QueryRefused) as refused:
        ensure_read_only(cypher)
    return refused.value.reason, refused.value.word


@pytest.mark.parametrize(
    "cypher",
    [
        "MATCH (n:Strategy) RETURN n.id AS id ORDER BY id SKIP 1 LIMIT 5",
        "OPTIONAL MATCH (a)-[r:CONTRIBUTES_TO*1..3]->(b) WHERE a.id STARTS WITH 's' RETURN b",
        "UNWIND $rows AS r WITH r WHERE r.x IS NOT NULL RETURN collect(DISTINCT r.x) AS xs",
        "MATCH (n) RETURN n.title_en = 'CREATE (x)' AS t, \"DELETE\" AS d",
        "MATCH (n:`Strategy`) RETURN n.`set` AS `DROP`, n{.id, .title_en} AS m",
        "RETURN CASE WHEN 1 < 2 THEN 'a' ELSE 'b' END AS c",
        "MATCH (n) RETURN count(n) UNION ALL MATCH (m) RETURN count(m)",
        "MATCH (n) /* a comment with CREATE */ RETURN n // and DROP here",
        "CALL show_tables() RETURN *",
        "CALL table_info('Strategy') RETURN *",
        "CALL db.labels() YIELD label RETURN label",
        "CALL { MATCH (n) RETURN n } RETURN count(n) AS c",
        "MATCH (n) WHERE EXISTS { MATCH (n)-->() } RETURN n.id",
        "RETURN date.truncate('year', date()) AS d, duration.between(date(), date()) AS e",
        "MATCH (n) RETURN {create: 1, set: n.id} AS m",
        "RETURN 1;",
        "RETURN 'België' AS land, 'σ' AS greek",
        "MATCH (n:Strategy) RETURN n.id AS id ORDER BY id DESC",
    ],
)
def test_reading_queries_pass(cypher):
    ensure_read_only(cypher)


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("backend", ["ladybug", "neo4j"])
def test_every_named_evaluation_query_passes(name, backend):
    ensure_read_only(QUERIES[name].cypher(backend))


@pytest.mark.parametrize(
    "cypher, reason, word",
    [
        ("", "empty", ""),
        ("  // only a comment\n;", "empty", ""),
        ("RETURN 1; RETURN 2", "statements", "2"),
        ("RETURN 1; ; RETURN 2;", "statements", "2"),
        ("RETURN 'open", "unterminated", "a string"),
        ("MATCH (n:`Open) RETURN n", "unterminated", "a `name`"),
        ("MATCH (n) /* RETURN n", "unterminated", "a /* comment"),
        ("match (n) detach delete n", "write", "DETACH"),
        ("MaTcH (n) SeT n.x = 1", "write", "SET"),
        ("COMMENT ON TABLE Role IS 'x'", "write", "COMMENT"),
        ("UNINSTALL httpfs", "write", "UNINSTALL"),
        ("MATCH (n) RETURN n UNION DROP TABLE Role", "write", "DROP"),
        ("CALL { MATCH (n) RETURN n } IN TRANSACTIONS RETURN 1", "write", "TRANSACTIONS"),
        ("RETURN 1CREATE (n)", "write", "CREATE"),
        ("EXPLAIN MATCH (n) RETURN n", "write", "EXPLAIN"),
        ("FOOBAR (n) RETURN n", "start", "FOOBAR"),
        ("(n) RETURN n", "start", "("),
        ("MATCH (n) RETURN n UNION", "start", "UNION"),
        ("MATCH (n) RETURN n UNION ALL WHERE 1", "start", "WHERE"),
        ("CALL threads=1", "procedure", "threads"),
        ("CALL db.createLabel('X')", "procedure", "db.createLabel"),
        ("CALL dbms.setConfigValue('a', 'b')", "procedure", "dbms.setConfigValue"),
        ("CALL `db`.`labels`", "procedure", "db.labels"),
        ("CALL", "procedure", "CALL"),
        ("RETURN apoc.cypher.runFirstColumn('CREATE (n)', {})", "procedure",
         "apoc.cypher.runFirstColumn"),
        ("MATCH (n) RETURN n.id \\u0020", "character", "U+005C"),
        ("\u0421REATE (n)", "character", "U+0421"),
        ("MATCH (n:Α) RETURN n", "character", "U+0391"),
        ("MATCH (n) RETURN n\u200b", "character", "U+200B"),
        ("MATCH (n) RETURN n // hidden\u2028CREATE (m)", "character", "U+2028"),
        ("MATCH (n) RETURN n /* \u202e */", "character", "U+202E"),
    ],
)  # fmt: skip
def test_refusals_name_their_reason(cypher, reason, word):
    assert _refusal(cypher) == (reason, word)


def test_a_refusal_says_what_was_found():
    with pytest.raises(QueryRefused, match="only reading queries are allowed here; found MERGE"):
        ensure_read_only("MERGE (n:Role {id: 'x'})")
    with pytest.raises(QueryRefused, match="found 3 statements"):
        ensure_read_only("RETURN 1; RETURN 2; RETURN 3")


def _case_variants(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda flips: "".join(c.lower() if f else c for c, f in zip(word, flips, strict=True))
    )


@given(st.sampled_from(sorted(REFUSED_WORDS)).flatmap(_case_variants))
def test_a_refused_word_in_any_case_is_refused_anywhere(word):
    for cypher in (f"MATCH (n) {word} n", f"MATCH (n) WHERE n.x = 1 {word} (m)", f"{word} x"):
        assert _refusal(cypher) == ("write", word.upper())


_QUOTED_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@given(_QUOTED_TEXT)
def test_anything_between_quotes_is_data(text):
    single = text.replace("\\", "\\\\").replace("'", "\\'")
    double = text.replace("\\", "\\\\").replace('"', '\\"')
    ensure_read_only(f"RETURN '{single}' AS a, \"{double}\" AS b")
    name = text.replace("`", "``")
    if name:
        ensure_read_only(f"MATCH (n) RETURN n.`{name}` AS `{name}`")


@given(st.text(st.characters(exclude_categories=("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))))
def test_a_comment_hides_nothing_and_breaks_nothing(text):
    block = text.replace("*/", "* /")
    ensure_read_only(f"MATCH (n) /* {block} */ RETURN n")
    line = text.replace("\n", " ").replace("\r", " ")
    ensure_read_only(f"MATCH (n) RETURN n // {line}")


@given(st.text(max_size=200))
def test_any_text_is_accepted_or_refused_never_crashes(text):
    try:
        ensure_read_only(text)
    except QueryRefused as e:
        assert e.reason and str(e)


_TOKEN = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True),
    st.from_regex(r"\d{1,4}(\.\d{1,3})?", fullmatch=True),
    st.sampled_from(list("()[]{}<>=+-*,.:|")),
    _QUOTED_TEXT.map(lambda t: "'" + t.replace("\\", "\\\\").replace("'", "\\'") + "'"),
    st.from_regex(r"\$[a-z]{1,5}", fullmatch=True),
)


@given(st.lists(_TOKEN, max_size=20))
def test_tokens_of_spaced_tokens_are_those_tokens(parts):
    assert [t.text for t in tokens(" ".join(parts))] == parts
