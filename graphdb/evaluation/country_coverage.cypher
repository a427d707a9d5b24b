// Each country with its status in the plan and what works there: partnerships (active ones),
// partners and strategies. A confirmed country with nothing active, or activity in a country
// the plan does not list, is an incoherence to explain.
MATCH (c:Country)
OPTIONAL MATCH (ps:Partnership)-[:WORKS_IN]->(c)
WITH c, count(DISTINCT ps.id) AS partnerships,
     count(DISTINCT CASE WHEN ps.status = 'active' THEN ps.id END) AS active_partnerships
OPTIONAL MATCH (p:Partner)-[:WORKS_IN]->(c)
WITH c, partnerships, active_partnerships, count(DISTINCT p.id) AS partners
OPTIONAL MATCH (s:Strategy)-[:WORKS_IN]->(c)
RETURN c.id AS country, c.status_from_2027 AS country_status, partnerships,
       active_partnerships, partners, count(DISTINCT s.id) AS strategies
ORDER BY country
