// For each strategic objective, the links on its pathways with the lowest confidence (ties
// all shown). $confidence: [{source, target, posterior, earlier, items, illustrative}], the
// confidence of every causal link computed from the evidence.
UNWIND $confidence AS c
MATCH (a)-[:CONTRIBUTES_TO]->(b)
WHERE a.id = c.source AND b.id = c.target
MATCH (b)-[:CONTRIBUTES_TO*0..10]->(so:StrategicObjective)
WITH DISTINCT so.id AS objective, a.id AS link_from, b.id AS link_to,
     c.posterior AS confidence, c.pct AS pct, c.items AS items
WITH objective, min(confidence) AS lowest,
     collect({link_from: link_from, link_to: link_to, confidence: confidence, pct: pct, items: items}) AS links
UNWIND links AS l
WITH objective, lowest, l
WHERE l.confidence = lowest
RETURN objective, l.link_from AS link_from, l.link_to AS link_to,
       l.pct AS confidence_pct, l.items AS items
ORDER BY objective, link_from, link_to
