// Assumptions on causal links whose downstream result is off track or at risk: the
// assumptions an evaluation should check first. $status: [{id, status, own}], the computed
// statuses.
UNWIND $status AS t
WITH t WHERE t.status IN ['off_track', 'at_risk']
MATCH (a)-[l:CONTRIBUTES_TO]->(b:Output|Outcome|Objective|StrategicObjective)
WHERE b.id = t.id
MATCH (x:Assumption)
WHERE x.id IN l.assumptions
RETURN x.id AS assumption, a.id AS link_from, b.id AS link_to, t.status AS link_to_status
ORDER BY assumption, link_from, link_to
