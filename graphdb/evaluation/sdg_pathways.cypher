// The causal links on the pathways from a strategy up to an SDG (directly or through one of
// its targets), with how many indicators measure each link's target: 0 means nothing shows
// whether that step of the pathway happens. basis 'judgement': the plan does not state the
// link (it does not map strategies to objectives); whoever modelled the plan drew it.
// Empty $strategy or $sdg: every one.
MATCH (s:Strategy)
WHERE $strategy = '' OR s.id = $strategy
MATCH (s)-[:CONTRIBUTES_TO*0..10]->(a)
WITH DISTINCT s, a
MATCH (a)-[r:CONTRIBUTES_TO]->(b)
MATCH (b)-[:CONTRIBUTES_TO*0..10]->(x)-[:ALIGNS_WITH]->()-[:SUBTARGET_OF*0..1]->(g:SDG)
WHERE $sdg = '' OR g.id = $sdg
WITH DISTINCT s, g, a, b, r
OPTIONAL MATCH (i:Indicator)-[:MEASURES]->(b)
RETURN s.id AS strategy, g.id AS sdg, a.id AS link_from, b.id AS link_to,
       count(i) AS indicators, coalesce(r.basis, 'stated') AS basis
ORDER BY strategy, sdg, link_from, link_to
