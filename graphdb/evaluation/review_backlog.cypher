// Per indicator, the state of each reported period (its latest revision): approved, waiting
// for review, returned, draft, and the latest approved period. Values that wait or come back
// cost the monitoring system time.
MATCH (i:Indicator)
OPTIONAL MATCH (r:MeasurementRevision)
WHERE r.indicator = i.code
WITH i, r.period AS period, max(r.revision) AS last
OPTIONAL MATCH (r:MeasurementRevision)
WHERE r.indicator = i.code AND r.period = period AND r.revision = last
RETURN i.code AS indicator, i.responsible AS responsible,
       count(CASE WHEN r.status = 'approved' THEN 1 END) AS approved,
       count(CASE WHEN r.status = 'submitted' THEN 1 END) AS waiting_review,
       count(CASE WHEN r.status = 'returned' THEN 1 END) AS returned,
       count(CASE WHEN r.status = 'draft' THEN 1 END) AS drafts,
       max(CASE WHEN r.status = 'approved' THEN r.period END) AS latest_approved_period
ORDER BY indicator
