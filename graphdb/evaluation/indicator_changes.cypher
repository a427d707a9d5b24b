// Indicator definitions added, changed or removed between $since and $until (dates, both
// included), with who did it and why: did the monitoring framework move with the plan?
MATCH (v:IndicatorVersion)
WHERE left(v.saved_at, 10) >= $since AND left(v.saved_at, 10) <= $until
RETURN v.saved_at AS saved_at, v.code AS indicator, v.version AS version,
       CASE WHEN v.removed THEN 'removed' WHEN v.version = 1 THEN 'added' ELSE 'changed' END AS change,
       v.author AS author, v.message AS message
ORDER BY saved_at, indicator, version
