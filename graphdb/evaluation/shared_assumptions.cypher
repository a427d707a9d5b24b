// Every assumption with the causal links that rely on it: an assumption many links share is a
// single point of failure of the theory of change; one no link relies on is dead weight.
MATCH (x:Assumption)
OPTIONAL MATCH (a)-[l:CONTRIBUTES_TO]->(b)
WHERE x.id IN l.assumptions
RETURN x.id AS assumption, count(l) AS links, count(DISTINCT a.id) AS sources,
       count(DISTINCT b.id) AS targets
ORDER BY links DESC, assumption
