// Partnerships per country with their type, status (active, on hold, planned, ended) and how
// many partners take part: will the results rest on lasting partnerships?
MATCH (ps:Partnership)
OPTIONAL MATCH (ps)-[:WORKS_IN]->(c:Country)
OPTIONAL MATCH (p:Partner)-[:PARTICIPATES_IN]->(ps)
RETURN c.id AS country, ps.id AS partnership, ps.partnership_type AS partnership_type,
       ps.status AS partnership_status, count(DISTINCT p.id) AS partners
ORDER BY country, partnership
