"""Imports every library of the evaluation environment, so mypy caches their analysis once."""
