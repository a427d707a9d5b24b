// Per beneficiary group, the results targeting it by their computed status: who is the plan
// reaching, and for whom does it fall behind? $status: [{id, status, own}].
UNWIND $status AS s
MATCH (n:StrategicObjective|Objective|Outcome)
WHERE n.id = s.id
MATCH (n)-[:TARGETS]->(bg:BeneficiaryGroup)
WITH DISTINCT bg, n.id AS node, s.status AS status
RETURN bg.id AS beneficiary_group, bg.beneficiary_type AS beneficiary_type,
       count(node) AS results,
       count(CASE WHEN status = 'on_track' THEN 1 END) AS on_track,
       count(CASE WHEN status = 'at_risk' THEN 1 END) AS at_risk,
       count(CASE WHEN status = 'off_track' THEN 1 END) AS off_track,
       count(CASE WHEN status = 'no_data' THEN 1 END) AS no_data
ORDER BY beneficiary_group
