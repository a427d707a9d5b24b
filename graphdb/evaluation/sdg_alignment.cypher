// Every SDG with the plan's objectives and results (strategic objectives, objectives, outcomes
// and outputs; not the plan as a whole nor its strategies) aligned to it, primary and secondary,
// directly or through one of its targets, and the indicators measuring those nodes: a claimed
// SDG without objectives or indicators behind it is a claim the monitoring cannot support.
MATCH (g:SDG)
OPTIONAL MATCH (n:StrategicObjective|Objective|Outcome|Output)
WITH g, n
OPTIONAL MATCH (n)-[al:ALIGNS_WITH]->()-[:SUBTARGET_OF*0..1]->(g)
WITH DISTINCT g, n, al.priority AS priority
OPTIONAL MATCH (i:Indicator)-[:MEASURES]->(n)
WHERE priority IS NOT NULL
RETURN g.id AS sdg, g.number AS number,
       count(DISTINCT CASE WHEN priority = 'primary' THEN n.id END) AS primary_nodes,
       count(DISTINCT CASE WHEN priority = 'secondary' THEN n.id END) AS secondary_nodes,
       count(DISTINCT i.code) AS indicators
ORDER BY number, sdg
