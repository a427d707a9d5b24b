// Every SDG with the plan's nodes aligned to it (primary and secondary, directly or through one
// of its targets) and the indicators measuring those nodes: a claimed SDG without objectives or
// indicators behind it is a claim the monitoring cannot support.
MATCH (g:SDG)
OPTIONAL MATCH (n)-[al:ALIGNS_WITH]->()-[:SUBTARGET_OF*0..1]->(g)
OPTIONAL MATCH (i:Indicator)-[:MEASURES]->(n)
RETURN g.id AS sdg, g.number AS number,
       count(DISTINCT CASE WHEN al.priority = 'primary' THEN n.id END) AS primary_nodes,
       count(DISTINCT CASE WHEN al.priority = 'secondary' THEN n.id END) AS secondary_nodes,
       count(DISTINCT i.code) AS indicators
ORDER BY number, sdg
