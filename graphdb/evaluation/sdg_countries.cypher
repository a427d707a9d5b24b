// Countries where the work towards the SDG happens: strategies working there, or partners
// working there who help with a node on a pathway to the SDG. Empty $sdg: every SDG.
MATCH (w:Strategy|Partner)-[:WORKS_IN]->(c:Country)
MATCH (w)-[:PARTNERS_IN*0..1]->(n)
MATCH (n)-[:CONTRIBUTES_TO*0..10]->(x)-[:ALIGNS_WITH]->()-[:SUBTARGET_OF*0..1]->(g:SDG)
WHERE $sdg = '' OR g.id = $sdg
WITH DISTINCT g, c, w
RETURN g.id AS sdg, g.number AS number, c.id AS country, c.status_from_2027 AS country_status,
       count(w) AS actors, min(w.id) AS first_actor
ORDER BY number, sdg, country
