// The versions of the plan saved between $since and $until (dates, both included): who saved
// them, why, and how the number of nodes and links changed against the version before.
MATCH (r:PlanRevision)
WHERE left(r.saved_at, 10) >= $since AND left(r.saved_at, 10) <= $until
OPTIONAL MATCH (p:PlanRevision)
WHERE p.version = r.version - 1
RETURN r.version AS version, r.saved_at AS saved_at, r.author AS author, r.message AS message,
       r.nodes AS nodes, r.edges AS links, r.nodes - coalesce(p.nodes, 0) AS nodes_change,
       r.edges - coalesce(p.edges, 0) AS links_change
ORDER BY version
