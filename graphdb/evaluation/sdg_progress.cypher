// Per SDG, the results aligned with it (directly or through one of its targets) by their
// computed status: is the plan on course for the goals it claims to serve?
// $status: [{id, status, own}], the computed statuses.
UNWIND $status AS s
MATCH (n:StrategicObjective|Objective|Outcome|Output)
WHERE n.id = s.id
MATCH (n)-[:ALIGNS_WITH]->()-[:SUBTARGET_OF*0..1]->(g:SDG)
WITH DISTINCT g, n.id AS node, s.status AS status
RETURN g.id AS sdg, g.number AS number, count(node) AS results,
       count(CASE WHEN status = 'on_track' THEN 1 END) AS on_track,
       count(CASE WHEN status = 'at_risk' THEN 1 END) AS at_risk,
       count(CASE WHEN status = 'off_track' THEN 1 END) AS off_track,
       count(CASE WHEN status = 'no_data' THEN 1 END) AS no_data
ORDER BY number, sdg
