// The financial plan per year by cost category, with the share of management and
// administration in the total: the overhead an efficiency review looks at first.
MATCH (b:BudgetLine)
WHERE b.year IS NOT NULL
WITH b.year AS year,
     sum(CASE WHEN b.category = 'operating' THEN b.amount ELSE 0.0 END) AS operating,
     sum(CASE WHEN b.category = 'management' THEN b.amount ELSE 0.0 END) AS management,
     sum(CASE WHEN b.category = 'administration' THEN b.amount ELSE 0.0 END) AS administration,
     sum(CASE WHEN b.category = 'total' THEN b.amount ELSE 0.0 END) AS total
RETURN year, operating, management, administration, total,
       CASE WHEN total > 0 THEN (management + administration) / total END AS overhead_share
ORDER BY year
