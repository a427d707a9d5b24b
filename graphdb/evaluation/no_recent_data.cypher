// Results (strategic objectives, objectives, outcomes, outputs) without an approved value in
// the periods of year $year (e.g. '2029', '2029-S1', '2029-Q4', 'FY2029-30'), with how many
// indicators measure them and how many of that year's values wait for review or were returned.
MATCH (n:StrategicObjective|Objective|Outcome|Output)
OPTIONAL MATCH (i:Indicator)-[:MEASURES]->(n)
OPTIONAL MATCH (r:MeasurementRevision)
WHERE r.indicator = i.code
  AND (r.period = $year OR r.period STARTS WITH ($year + '-') OR r.period STARTS WITH ('FY' + $year + '-'))
WITH n, count(DISTINCT i.code) AS indicators,
     count(CASE WHEN r.status = 'approved' THEN 1 END) AS approved,
     count(DISTINCT CASE WHEN r.status = 'submitted' THEN r.indicator + '|' + r.period END) AS submitted,
     count(DISTINCT CASE WHEN r.status = 'returned' THEN r.indicator + '|' + r.period END) AS returned
WHERE approved = 0
RETURN n.id AS node, indicators, submitted, returned
ORDER BY node
