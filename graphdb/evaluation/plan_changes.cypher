// The nodes and links of the plan added, removed or changed between $since and $until (dates,
// both included), version by version: who saved each version, why, and which fields changed.
// $changes lists what each version changed, from the content the store keeps of every version.
UNWIND $changes AS c
MATCH (r:PlanRevision)
WHERE r.version = c.version AND left(r.saved_at, 10) >= $since AND left(r.saved_at, 10) <= $until
RETURN r.version AS version, r.saved_at AS saved_at, r.author AS author, r.message AS message,
       c.item AS item, c.kind AS kind, c.id AS id, c.change AS change, c.fields AS fields
ORDER BY version, item DESC, id, kind
