// Contributions on track while the result they contribute to is not, by its own indicators
// (at risk or off track): what should move it is delivered, yet it does not move, so the link's
// assumptions are to be tested. $status: [{id, status, own}], the computed statuses.
UNWIND $status AS s
WITH s WHERE s.status = 'on_track'
WITH collect(s.id) AS on_track
UNWIND $status AS t
WITH on_track, t WHERE t.own IN ['at_risk', 'off_track']
MATCH (a)-[:CONTRIBUTES_TO]->(b:Output|Outcome|Objective|StrategicObjective)
WHERE b.id = t.id AND a.id IN on_track
RETURN b.id AS result, t.own AS result_status, a.id AS contribution
ORDER BY result, contribution
