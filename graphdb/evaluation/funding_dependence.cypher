// Funding received per year and donor, with the donor's share of that year: how dependent on
// one donor is the organisation, and is that changing?
MATCH (f:Funding)
WHERE f.row = 'donor'
WITH f.year AS year, sum(f.amount) AS year_total
MATCH (d:Partner)-[:FUNDS]->(f:Funding)
WHERE f.row = 'donor' AND f.year = year
WITH year, year_total, d.id AS donor, sum(f.amount) AS amount
RETURN year, donor, amount, amount / year_total AS share
ORDER BY year, donor
