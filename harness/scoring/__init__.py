"""Scoring: one module per check (``checks/``), composed into a project's score (``scorer``)."""
