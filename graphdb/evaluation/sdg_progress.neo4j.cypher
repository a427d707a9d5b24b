// Per SDG, the results aligned with it (directly or through one of its targets) by their
// computed status: is the plan on course for the goals it claims to serve?
// $status: [{id, status, own}], the computed statuses.
// Neo4j form: each status is looked up per label, so the id constraints' indexes are used
// (a label alternative such as (n:Objective|Outcome) cannot use them, and on a plan of
// thousands of results the lookup then scans every node for every status).
UNWIND $status AS s
OPTIONAL MATCH (n1:StrategicObjective {id: s.id})
OPTIONAL MATCH (n2:Objective {id: s.id})
OPTIONAL MATCH (n3:Outcome {id: s.id})
OPTIONAL MATCH (n4:Output {id: s.id})
WITH s, coalesce(n1, n2, n3, n4) AS n
WHERE n IS NOT NULL
MATCH (n)-[:ALIGNS_WITH]->()-[:SUBTARGET_OF*0..1]->(g:SDG)
WITH DISTINCT g, n.id AS node, s.status AS status
RETURN g.id AS sdg, g.number AS number, count(node) AS results,
       count(CASE WHEN status = 'on_track' THEN 1 END) AS on_track,
       count(CASE WHEN status = 'at_risk' THEN 1 END) AS at_risk,
       count(CASE WHEN status = 'off_track' THEN 1 END) AS off_track,
       count(CASE WHEN status = 'no_data' THEN 1 END) AS no_data
ORDER BY number, sdg
