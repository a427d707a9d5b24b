// Every assumption with the causal links that rely on it: an assumption many links share is a
// single point of failure of the theory of change; one no link relies on is dead weight.
// Neo4j form: the links are counted per assumption in one pass over the links, then matched
// to the assumptions (checking every link for every assumption takes minutes on a plan of
// thousands of both).
MATCH (a)-[l:CONTRIBUTES_TO]->(b)
UNWIND coalesce(l.assumptions, []) AS aid
WITH aid, count(l) AS links, count(DISTINCT a.id) AS sources, count(DISTINCT b.id) AS targets
WITH collect({id: aid, links: links, sources: sources, targets: targets}) AS used
MATCH (x:Assumption)
WITH x, [u IN used WHERE u.id = x.id][0] AS u
RETURN x.id AS assumption, coalesce(u.links, 0) AS links, coalesce(u.sources, 0) AS sources,
       coalesce(u.targets, 0) AS targets
ORDER BY links DESC, assumption
