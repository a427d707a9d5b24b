// Partners and how many nodes and strategic objectives their help (PARTNERS_IN) reaches:
// partners working across objectives tie the plan together; partners on one only do not.
MATCH (p:Partner)-[:PARTNERS_IN]->(n)
OPTIONAL MATCH (n)-[:CONTRIBUTES_TO*0..10]->(so:StrategicObjective)
RETURN p.id AS partner, p.partner_type AS partner_type, p.status AS partner_status,
       count(DISTINCT n.id) AS nodes_helped, count(DISTINCT so.id) AS strategic_objectives
ORDER BY strategic_objectives DESC, nodes_helped DESC, partner
