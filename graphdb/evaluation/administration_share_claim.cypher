// What the plan says its administration costs will do, beside the share they take of the
// yearly total in its own financial plan: does the budget show the change the text promises?
// One row per claim and plan year.
MATCH (c:Claim)
WHERE c.measure = 'administration_cost_share'
MATCH (a:BudgetLine)
WHERE a.category = 'administration' AND a.year IS NOT NULL
MATCH (t:BudgetLine)
WHERE t.category = 'total' AND t.year = a.year AND t.amount > 0
RETURN c.id AS claim, c.title_en AS statement_en, c.title_nl AS statement_nl,
       c.direction AS claimed, a.year AS year, a.amount AS administration,
       t.amount AS total, a.amount / t.amount AS share
ORDER BY claim, year
