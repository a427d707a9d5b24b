"""Theory-of-change domain: kinds, the plan model, plan files, validation, analysis, diagrams."""
