// Each country with its status in the plan and what works there: partnerships (active ones),
// partners and strategies. A confirmed country with nothing active, or activity in a country
// the plan does not list, is an incoherence to explain. `partnership_location` tells a country
// with partnerships ('known') from one without any while some partnerships name no country at
// all ('location_unknown': they may work there) and from a plain 'none'; `unlocated_partnerships`
// counts those partnerships (the same in every row).
OPTIONAL MATCH (u:Partnership)
OPTIONAL MATCH (u)-[:WORKS_IN]->(uc:Country)
WITH u, count(uc) AS places
WITH count(DISTINCT CASE WHEN places = 0 THEN u.id END) AS unlocated
MATCH (c:Country)
OPTIONAL MATCH (ps:Partnership)-[:WORKS_IN]->(c)
WITH unlocated, c, count(DISTINCT ps.id) AS partnerships,
     count(DISTINCT CASE WHEN ps.status = 'active' THEN ps.id END) AS active_partnerships
OPTIONAL MATCH (p:Partner)-[:WORKS_IN]->(c)
WITH unlocated, c, partnerships, active_partnerships, count(DISTINCT p.id) AS partners
OPTIONAL MATCH (s:Strategy)-[:WORKS_IN]->(c)
RETURN c.id AS country, c.status_from_2027 AS country_status, partnerships,
       active_partnerships,
       CASE WHEN partnerships > 0 THEN 'known' WHEN unlocated > 0 THEN 'location_unknown'
            ELSE 'none' END AS partnership_location,
       unlocated AS unlocated_partnerships, partners, count(DISTINCT s.id) AS strategies
ORDER BY country
