// Links whose confidence as of $until is below the one as of $since (evidence counts from its
// date), the largest fall first. $confidence: [{source, target, posterior (as of until),
// earlier (as of since), items, illustrative}].
UNWIND $confidence AS c
WITH c
WHERE c.posterior < c.earlier AND $since <= $until
MATCH (a)-[:CONTRIBUTES_TO]->(b)
WHERE a.id = c.source AND b.id = c.target
RETURN a.id AS link_from, b.id AS link_to, c.earlier_pct AS since_pct,
       c.pct AS until_pct
ORDER BY c.earlier - c.posterior DESC, link_from, link_to
