// The yearly budget (total lines) next to each strategic objective's status with the values
// of that year and before, and how many values were approved for the objective's pathway in
// that year. $progress: [{id, year, period, status}], computed per plan year.
MATCH (b:BudgetLine)
WHERE b.category = 'total' AND b.year IS NOT NULL
WITH b.year AS year, sum(b.amount) AS budget
UNWIND $progress AS p
WITH year, budget, p WHERE p.year = year
MATCH (so:StrategicObjective)
WHERE so.id = p.id
OPTIONAL MATCH (n)-[:CONTRIBUTES_TO*0..10]->(so)
OPTIONAL MATCH (i:Indicator)-[:MEASURES]->(n)
OPTIONAL MATCH (r:MeasurementRevision)
WHERE r.indicator = i.code AND r.status = 'approved'
  AND (r.period = p.period OR r.period STARTS WITH (p.period + '-') OR r.period STARTS WITH ('FY' + p.period + '-'))
RETURN year, budget, so.id AS strategic_objective, p.status AS status,
       count(DISTINCT i.code) AS indicators, count(DISTINCT r.uid) AS approved_values
ORDER BY year, strategic_objective
