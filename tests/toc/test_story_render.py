"""Stories worded in Dutch and English as text, Markdown and HTML: exact sentences, escaping,
illustrative marks and plain words where evidence is missing."""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import replace
from pathlib import Path

import pytest

from tests.toc.learning_plans import contrib, item, ladder, node
from toc.causal import Link
from toc.harvest import HarvestedOutcome, Substantiation
from toc.model import Plan, Text
from toc.planfile import load
from toc.story import contribution_story
from toc.story_phrases import PHRASES
from toc.story_render import FORMATS, percent, render

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def tiny() -> Plan:
    return Plan.of(
        [node("Strategy", "s", Text("Stedenbanden", "Town twinning")),
         node("Objective", "o", Text("Sterkere besturen.", "Stronger councils."))],
        [contrib("s", "o", rationale=Text("omdat", "because"), assumptions=("a",))],
    )  # fmt: skip


EVIDENCE = [
    item("e1", Link("s", "o"), kind="evaluation", strength="moderate", date=dt.date(2029, 6, 30),
         url="https://example.org/review"),
    item("e2", Link("s", "o"), kind="testimony", strength="weak", says="contradicts",
         date=dt.date(2029, 7, 1)),
]  # fmt: skip

TEXT_EN = """\
Contribution story: Stronger councils (o)
=========================================

1. The question
---------------
Did strategy s (Town twinning) contribute to Stronger councils?
1 pathway leads from 1 strategy to o.

2. Pathways
-----------
Every pathway (1):
  - s -> o: confidence 70% (high); weakest link s -> o (70%).

3. Evidence per link
--------------------

s (Town twinning) -> o (Stronger councils)
Rationale: because
Confidence 70% (high), prior 50%, from 2 items.
Weighed most: e1 (×2.8), e2 (×0.83).
  - 2029-06-30, evaluation, supports, moderate: source of e1 (tester) https://example.org/review
  - 2029-07-01, testimony, contradicts, weak: source of e2 (tester)
Assumptions this link relies on:
  - a (a): untested: no evidence recorded

4. Other influencing factors
----------------------------
No unplanned or negative outcomes are recorded near o.

5. Conclusion
-------------
The evidence supports the claim that the strategy contributed to Stronger councils: the most \
credible pathway holds with 70% confidence (high).
Every link on the pathways into o has evidence (1).
"""

TEXT_NL_CONCLUSION = (
    "Het bewijs ondersteunt de bewering dat de strategie heeft bijgedragen aan Sterkere "
    "besturen: het meest geloofwaardige pad houdt stand met 70% vertrouwen (hoog)."
)


def test_the_text_story_in_english():
    assert render(contribution_story(tiny(), "o", EVIDENCE), "en", "text") == TEXT_EN


def test_the_text_story_in_dutch():
    text = render(contribution_story(tiny(), "o", EVIDENCE), "nl", "text")
    assert text.splitlines()[0] == "Bijdrageverhaal: Sterkere besturen (o)"
    assert "Heeft strategie s (Stedenbanden) bijgedragen aan Sterkere besturen?" in text
    assert "1 pad leidt van 1 strategie naar o." in text
    assert "Woog het zwaarst: e1 (×2,8), e2 (×0,83)." in text
    assert "2029-07-01, getuigenis, spreekt tegen, zwak: source of e2 (tester)" in text
    assert "a (a): niet getoetst: geen bewijs geregistreerd" in text
    assert TEXT_NL_CONCLUSION in text


def test_missing_evidence_is_said_plainly():
    story = contribution_story(ladder(), "so")
    text = render(story, "en")
    assert text.count("No evidence recorded for this link: its confidence is its prior, 50%.") == 6
    assert ("No evidence is recorded on any pathway into Strategic objective: the claim rests on "
            "the plan's rationale alone (confidence 50% from the priors).") in text  # fmt: skip
    assert "6 of the 6 links on the pathways into so have no evidence." in text
    assert "The 4 most credible" not in text and "Every pathway (4):" in text
    limited = render(contribution_story(ladder(), "so", limit=2), "nl")
    assert "De 2 meest geloofwaardige van 4 paden:" in limited


def test_a_node_no_strategy_reaches():
    text = render(contribution_story(ladder(), "o3"), "en")
    assert "No strategy reaches o3: there is no pathway to assess." in text
    assert "No strategy reaches Objective 3, so there is no contribution claim to weigh." in text
    assert "2. Pathways" not in text


HOSTILE = '<script>alert("x")</script> *bold* [link](javascript:x) & `code` _u_'


def hostile_story():
    hostile = replace(item("e1", Link("s", "o"), illustrative=True), source_text=HOSTILE,
                      author="<b>me</b>")  # fmt: skip
    return contribution_story(tiny(), "o", [hostile])


def test_html_escapes_everything():
    page = render(hostile_story(), "en", "html")
    assert "<script>" not in page and "<b>me</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "(&lt;b&gt;me&lt;/b&gt;)" in page
    assert page.startswith('<article class="story" lang="en">\n<h2>Contribution story: ')
    assert '<strong class="illustrative">illustrative</strong>' in page


def test_markdown_escapes_its_own_characters_and_html():
    md = render(hostile_story(), "en", "md")
    assert "<script>" not in md and "&lt;script>" in md
    assert r"\*bold\*" in md and r"\[link\](javascript:x)" in md
    assert r"&amp; \`code\` \_u\_" in md
    assert md.startswith("# Contribution story: Stronger councils (o)\n")
    assert "**illustrative**" in md


def test_markdown_lines_never_start_a_list_or_heading_by_accident():
    plan = Plan.of(
        [node("Strategy", "s", Text(en="- dash")), node("Objective", "o", Text(en="# hash"))],
        [contrib("s", "o", rationale=Text(en="1. first"))],
    )
    md = render(contribution_story(plan, "o"), "en", "md")
    assert "\nRationale: 1. first\n" in md
    plan2 = Plan.of(
        [node("Strategy", "s", Text(en="x")), node("Objective", "o", Text(en="x"))],
        [contrib("s", "o", rationale=Text(en="x"))],
    )
    assert "Rationale: x" in render(contribution_story(plan2, "o"), "en", "md")


def test_a_url_is_a_link_in_html_and_markdown():
    story = contribution_story(tiny(), "o", EVIDENCE)
    assert ('<a href="https://example.org/review" rel="noopener noreferrer">'
            "https://example.org/review</a>") in render(story, "en", "html")  # fmt: skip
    assert "<https://example.org/review>" in render(story, "en", "md")


def test_illustrative_evidence_is_marked_everywhere():
    story = hostile_story()
    for lang, banner, mark in (("en", "Illustrative: this story", "[illustrative]"),
                               ("nl", "Illustratief: dit verhaal", "[illustratief]")):  # fmt: skip
        text = render(story, lang, "text")
        assert text.splitlines()[2].startswith(f"[{banner}")
        assert text.count(mark) == 1
    assert "Illustrative" not in render(contribution_story(tiny(), "o", EVIDENCE), "en")


def test_outcomes_and_factors_are_worded():
    outcomes = [
        HarvestedOutcome("ho1", "Ministry consults the association", "Invited to draft the law",
                         dt.date(2029, 11, 1), "Ministry", ("o",), "me", planning="unplanned",
                         significance="First time", contribution="Advocacy training",
                         substantiation=(Substantiation("Director", "partly"),)),
        HarvestedOutcome("ho2", "Budget adopted", "Vote", dt.date(2029, 5, 1), "Council",
                         ("o",), "me"),
    ]  # fmt: skip
    story = contribution_story(tiny(), "o", [], outcomes)
    text = render(story, "en")
    assert ("  - 2029-11-01, Ministry consults the association (unplanned, positive); "
            "who changed: Ministry\n      Invited to draft the law\n      significance: First "
            "time\n      contribution: Advocacy training\n      substantiation: Director partly "
            "agrees\n") in text  # fmt: skip
    assert "Planned, positive outcomes recorded near o:" in text
    assert "      not substantiated" in text
    nl = render(story, "nl", "html")
    assert "<li>bevestiging door derden: Director gedeeltelijk akkoord</li>" in nl


def test_an_outcome_cited_but_not_given_is_said_so():
    cite = item("c", Link("s", "o"), kind="harvested_outcome", outcome="ho9")
    text = render(contribution_story(tiny(), "o", [cite]), "en")
    assert "; cites outcome ho9, which is not recorded" in text


def test_many_strategies_are_counted_beyond_ten():
    strategies = [node("Strategy", f"s{i:02d}", Text(en=f"S{i}")) for i in range(12)]
    plan = Plan.of([*strategies, node("Objective", "o", Text(en="O"))],
                   [contrib(s.id, "o") for s in strategies])  # fmt: skip
    text = render(contribution_story(plan, "o"), "en")
    assert "s08 (S8), s09 (S9) and 2 other strategies contribute to O?" in text
    assert "s10 (S10)" not in text.split("2. Pathways")[0]


def test_both_languages_have_the_same_sentences_with_the_same_blanks():
    assert set(PHRASES["en"]) == set(PHRASES["nl"])
    for key, english in PHRASES["en"].items():
        fields = {f for _, f, _, _ in string.Formatter().parse(english) if f}
        dutch = {f for _, f, _, _ in string.Formatter().parse(PHRASES["nl"][key]) if f}
        assert fields <= dutch <= fields | {"has"}, key  # Dutch needs its verb


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_format_and_language_on_the_vvsg_plan(fmt, lang):
    plan = load(EXAMPLES / "vvsg-2027-2036.yaml")
    evidence = [item("e1", Link("s3", "so3.o1"), illustrative=True)]
    out = render(contribution_story(plan, "so3", evidence), lang, fmt)
    assert "so3.o1" in out and "s3" in out
    assert ("illustrati" in out) and out.endswith("\n")


def test_unknown_language_or_format():
    story = contribution_story(tiny(), "o")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        render(story, "fr")
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        render(story, "en", "pdf")


def test_percentages():
    assert [percent(p) for p in (1e-9, 0.004, 0.009, 0.5, 0.994, 0.996, 1 - 1e-9)] == [
        "<1%", "<1%", "1%", "50%", "99%", ">99%", ">99%"]  # fmt: skip
