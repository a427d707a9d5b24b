// The links on the pathways from a strategy up to an SDG (directly or through one of its
// targets), with how many indicators measure each link's target: 0 means nothing shows
// whether that step of the pathway happens. `link` is 'contributes' for a causal link and
// 'aligns' for a strategy aligned with the SDG itself, without a causal step in between (its
// `indicators` then count those measuring the strategy). basis 'judgement': the plan does not state the
// link (it does not map strategies to objectives); whoever modelled the plan drew it.
// Empty $strategy or $sdg: every one.
MATCH (s:Strategy)
WHERE $strategy = '' OR s.id = $strategy
MATCH (s)-[:CONTRIBUTES_TO*0..10]->(a)
WITH DISTINCT s, a
MATCH (a)-[:CONTRIBUTES_TO*0..1]->(b)
MATCH (b)-[:CONTRIBUTES_TO*0..10]->(x)-[:ALIGNS_WITH]->()-[:SUBTARGET_OF*0..1]->(g:SDG)
WHERE ($sdg = '' OR g.id = $sdg) AND (a.id <> b.id OR (a.id = s.id AND x.id = s.id))
WITH DISTINCT s, g, a, b
OPTIONAL MATCH (a)-[r:CONTRIBUTES_TO]->(b)
WITH s, g, a, b, coalesce(r.basis, 'stated') AS basis
OPTIONAL MATCH (i:Indicator)-[:MEASURES]->(b)
RETURN s.id AS strategy, g.id AS sdg, g.number AS number, a.id AS link_from,
       CASE WHEN a.id = b.id THEN g.id ELSE b.id END AS link_to,
       CASE WHEN a.id = b.id THEN 'aligns' ELSE 'contributes' END AS link,
       count(i) AS indicators, basis
ORDER BY strategy, number, sdg, link_from, link_to
