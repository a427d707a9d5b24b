"""Outcome indicators: progress and status maths, roll-up along pathways."""
