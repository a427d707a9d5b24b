// Objectives and strategic objectives that no strategy or only one strategy reaches: if that
// strategy stops, nothing else carries them. basis 'judgement': every pathway from that
// strategy runs through a link the plan does not state (a modelling judgement, such as the
// strategy-to-objective links the plan leaves open); 'stated' otherwise.
MATCH (o:Objective|StrategicObjective)
OPTIONAL MATCH p = (s:Strategy)-[:CONTRIBUTES_TO*1..10]->(o)
WITH o, s,
     CASE WHEN p IS NULL THEN 0
          WHEN any(r IN relationships(p) WHERE r.basis = 'judgement') THEN 1
          ELSE 0 END AS judged
WITH o, count(DISTINCT s.id) AS strategies, min(s.id) AS first_strategy, min(judged) AS all_judged
WHERE strategies <= 1
RETURN o.id AS objective, strategies, first_strategy AS only_strategy,
       CASE WHEN strategies = 0 THEN NULL WHEN all_judged = 1 THEN 'judgement'
            ELSE 'stated' END AS basis
ORDER BY objective
