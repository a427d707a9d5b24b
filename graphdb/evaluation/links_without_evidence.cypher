// Causal links with no evidence item, recorded or derived from indicators: their confidence
// is their prior. $confidence: [{source, target, posterior, earlier, items, illustrative}].
UNWIND $confidence AS c
WITH c
WHERE c.items = 0
MATCH (a)-[:CONTRIBUTES_TO]->(b)
WHERE a.id = c.source AND b.id = c.target
RETURN a.id AS link_from, b.id AS link_to, c.pct AS prior_pct
ORDER BY link_from, link_to
