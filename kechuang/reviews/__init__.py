"""Expert review of applications: panels, scoring, aggregation, ranking, decisions."""
