"""Expenses of the team."""
