"""Every sentence of a contribution story, in Dutch and English: the templates
:mod:`toc.story_render` fills with a story's data.

Each language has the same keys and the same blanks (Dutch also has ``{has}``, the verb that
agrees with one or more strategies); a test keeps them so. A key ending in ``_1`` or ``_n`` is
the singular or plural form of the same phrase.

>>> PHRASES["nl"]["held"], PHRASES["en"]["held"]
('bleek te kloppen', 'held')
"""

from __future__ import annotations

__all__ = ["PHRASES"]

#: Every sentence of a story, by language.
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "title": "Contribution story: {title} ({node})",
        "as_of": "Evidence as of {date}.",
        "illustrative": "Illustrative: this story uses illustrative evidence or outcomes (demo "
        "data), not real findings; they are marked.",
        "mark": "illustrative",
        "h_question": "1. The question",
        "question_1": "Did strategy {names} contribute to {title}?",
        "question_n": "Did the strategies {names} contribute to {title}?",
        "who_1": "the strategy",
        "who_n": "the strategies",
        "has_1": "",
        "has_n": "",
        "count_1": "{pathways} leads from {strategies} to {node}.",
        "count_n": "{pathways} lead from {strategies} to {node}.",
        "no_pathway": "No strategy reaches {node}: there is no pathway to assess.",
        "h_pathways": "2. Pathways",
        "some_pathways": "The {shown} most credible of {count} pathways:",
        "all_pathways": "Every pathway ({count}):",
        "pathway": "{nodes}: confidence {p} ({band}); weakest link {weakest} ({q}).",
        "h_links": "3. Evidence per link",
        "rationale": "Rationale: {text}",
        "confidence": "Confidence {p} ({band}), prior {q}, from {items}.",
        "no_evidence": "No evidence recorded for this link: its confidence is its prior, {q}.",
        "weighed": "Weighed most: {items}.",
        "item": "{date}, {kind}, {says}, {strength}: {text} ({author})",
        "attachment": "attached file: {name}",
        "cites": "cites outcome {id}: {title}",
        "cites_unknown": "cites outcome {id}, which is not recorded",
        "more_strategies": "{n} other strategies",
        "assumptions": "Assumptions this link relies on:",
        "assumption": "{id} ({title}): {state}",
        "assumption_p": "{id} ({title}): {state} ({p}, {items})",
        "held": "held",
        "not_held": "did not hold",
        "inconclusive": "inconclusive",
        "untested": "untested: no evidence recorded",
        "h_factors": "4. Other influencing factors",
        "factors": "Unplanned or negative outcomes recorded near {node}:",
        "no_factors": "No unplanned or negative outcomes are recorded near {node}.",
        "outcomes": "Planned, positive outcomes recorded near {node}:",
        "outcome": "{date}, {title} ({planning}, {valence}); who changed: {actor}",
        "significance": "significance: {text}",
        "contribution": "contribution: {text}",
        "substantiation": "substantiation: {views}",
        "not_substantiated": "not substantiated",
        "view": "{by} {verdict}",
        "h_conclusion": "5. Conclusion",
        "very_high": "The evidence makes a strong case that {who} contributed to {title}:"
        " the most credible pathway holds with {p} confidence (very high).",
        "high": "The evidence supports the claim that {who} contributed to {title}: "
        "the most credible pathway holds with {p} confidence (high).",
        "moderate": "The evidence is inconclusive about whether {who} contributed to "
        "{title}: the most credible pathway holds with {p} confidence (moderate).",
        "low": "The evidence casts doubt on the claim that {who} contributed to "
        "{title}: the most credible pathway holds with {p} confidence (low).",
        "very_low": "The evidence weighs strongly against the claim that {who} "
        "contributed to {title}: the most credible pathway holds with only {p} confidence "
        "(very low).",
        "no_claim": "No strategy reaches {title}, so there is no contribution claim to weigh.",
        "rests_on_priors": "No evidence is recorded on any pathway into {title}: the claim "
        "rests on the plan's rationale alone (confidence {p} from the priors).",
        "gaps": "{missing} of the {total} links on the pathways into {node} have no evidence.",
        "no_gaps": "Every link on the pathways into {node} has evidence ({total}).",
        "pathways_1": "1 pathway",
        "pathways_n": "{n} pathways",
        "strategies_1": "1 strategy",
        "strategies_n": "{n} strategies",
        "items_1": "1 item",
        "items_n": "{n} items",
        "and": "and",
    },
    "nl": {
        "title": "Bijdrageverhaal: {title} ({node})",
        "as_of": "Bewijs zoals gekend op {date}.",
        "illustrative": "Illustratief: dit verhaal gebruikt illustratief bewijs of illustratieve "
        "uitkomsten (demogegevens), geen echte bevindingen; ze zijn gemarkeerd.",
        "mark": "illustratief",
        "h_question": "1. De vraag",
        "question_1": "Heeft strategie {names} bijgedragen aan {title}?",
        "question_n": "Hebben de strategieën {names} bijgedragen aan {title}?",
        "who_1": "de strategie",
        "who_n": "de strategieën",
        "has_1": "heeft",
        "has_n": "hebben",
        "count_1": "{pathways} leidt van {strategies} naar {node}.",
        "count_n": "{pathways} leiden van {strategies} naar {node}.",
        "no_pathway": "Geen enkele strategie bereikt {node}: er is geen pad om te beoordelen.",
        "h_pathways": "2. Paden",
        "some_pathways": "De {shown} meest geloofwaardige van {count} paden:",
        "all_pathways": "Elk pad ({count}):",
        "pathway": "{nodes}: vertrouwen {p} ({band}); zwakste schakel {weakest} ({q}).",
        "h_links": "3. Bewijs per schakel",
        "rationale": "Onderbouwing: {text}",
        "confidence": "Vertrouwen {p} ({band}), a priori {q}, op basis van {items}.",
        "no_evidence": "Geen bewijs geregistreerd voor deze schakel: het vertrouwen is de "
        "a-prioriwaarde, {q}.",
        "weighed": "Woog het zwaarst: {items}.",
        "item": "{date}, {kind}, {says}, {strength}: {text} ({author})",
        "attachment": "bijlage: {name}",
        "cites": "verwijst naar uitkomst {id}: {title}",
        "cites_unknown": "verwijst naar uitkomst {id}, die niet geregistreerd is",
        "more_strategies": "{n} andere strategieën",
        "assumptions": "Veronderstellingen waarop deze schakel steunt:",
        "assumption": "{id} ({title}): {state}",
        "assumption_p": "{id} ({title}): {state} ({p}, {items})",
        "held": "bleek te kloppen",
        "not_held": "bleek niet te kloppen",
        "inconclusive": "onbeslist",
        "untested": "niet getoetst: geen bewijs geregistreerd",
        "h_factors": "4. Andere invloeden",
        "factors": "Niet geplande of negatieve uitkomsten geregistreerd bij {node}:",
        "no_factors": "Er zijn geen niet geplande of negatieve uitkomsten geregistreerd bij "
        "{node}.",
        "outcomes": "Geplande, positieve uitkomsten geregistreerd bij {node}:",
        "outcome": "{date}, {title} ({planning}, {valence}); wie veranderde: {actor}",
        "significance": "betekenis: {text}",
        "contribution": "bijdrage: {text}",
        "substantiation": "bevestiging door derden: {views}",
        "not_substantiated": "niet bevestigd door derden",
        "view": "{by} {verdict}",
        "h_conclusion": "5. Conclusie",
        "very_high": "Het bewijs maakt sterk aannemelijk dat {who} {has} bijgedragen "
        "aan {title}: het meest geloofwaardige pad houdt stand met {p} vertrouwen (zeer hoog).",
        "high": "Het bewijs ondersteunt de bewering dat {who} {has} bijgedragen aan "
        "{title}: het meest geloofwaardige pad houdt stand met {p} vertrouwen (hoog).",
        "moderate": "Het bewijs is niet doorslaggevend over de vraag of {who} {has} "
        "bijgedragen aan {title}: het meest geloofwaardige pad houdt stand met {p} vertrouwen "
        "(matig).",
        "low": "Het bewijs zet vraagtekens bij de bewering dat {who} {has} "
        "bijgedragen aan {title}: het meest geloofwaardige pad houdt stand met {p} vertrouwen "
        "(laag).",
        "very_low": "Het bewijs spreekt sterk tegen de bewering dat {who} {has} "
        "bijgedragen aan {title}: het meest geloofwaardige pad houdt slechts stand met {p} "
        "vertrouwen (zeer laag).",
        "no_claim": "Geen enkele strategie bereikt {title}: er is geen bijdrage om te wegen.",
        "rests_on_priors": "Op geen enkel pad naar {title} is bewijs geregistreerd: de "
        "bewering steunt alleen op de onderbouwing in het plan (vertrouwen {p} uit de "
        "a-prioriwaarden).",
        "gaps": "{missing} van de {total} schakels op de paden naar {node} hebben geen bewijs.",
        "no_gaps": "Elke schakel op de paden naar {node} heeft bewijs ({total}).",
        "pathways_1": "1 pad",
        "pathways_n": "{n} paden",
        "strategies_1": "1 strategie",
        "strategies_n": "{n} strategieën",
        "items_1": "1 bewijsstuk",
        "items_n": "{n} bewijsstukken",
        "and": "en",
    },
}
