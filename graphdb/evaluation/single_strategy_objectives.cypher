// Objectives and strategic objectives that no strategy or only one strategy reaches: if that
// strategy stops, nothing else carries them.
MATCH (o:Objective|StrategicObjective)
OPTIONAL MATCH (s:Strategy)-[:CONTRIBUTES_TO*1..10]->(o)
WITH o, count(DISTINCT s.id) AS strategies, min(s.id) AS first_strategy
WHERE strategies <= 1
RETURN o.id AS objective, strategies, first_strategy AS only_strategy
ORDER BY objective
