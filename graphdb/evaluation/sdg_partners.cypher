// Partners helping (PARTNERS_IN) with a strategy or result that lies on a pathway to the SDG,
// and with how many of those nodes. Empty $sdg: every SDG.
MATCH (p:Partner)-[:PARTNERS_IN]->(n)
MATCH (n)-[:CONTRIBUTES_TO*0..10]->(x)-[:ALIGNS_WITH]->()-[:SUBTARGET_OF*0..1]->(g:SDG)
WHERE $sdg = '' OR g.id = $sdg
WITH DISTINCT g, p, n
RETURN g.id AS sdg, g.number AS number, p.id AS partner, p.partner_type AS partner_type,
       count(n) AS nodes_helped, min(n.id) AS first_node
ORDER BY number, sdg, partner
