// The yearly budget (total lines) next to each strategic objective's status in that year, and
// how many values were approved for the objective's pathway in that year. `status` is 'no_data'
// for a year without approved values on the pathway; `status_to_date` is the status with the
// values of that year and before. $progress: [{id, year, period, status}], computed per plan
// year from the values up to it.
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
WITH year, budget, so, p, count(DISTINCT i.code) AS indicators,
     count(DISTINCT r.uid) AS approved_values
RETURN year, budget, so.id AS strategic_objective,
       CASE WHEN approved_values = 0 THEN 'no_data' ELSE p.status END AS status,
       p.status AS status_to_date, indicators, approved_values
ORDER BY year, strategic_objective
