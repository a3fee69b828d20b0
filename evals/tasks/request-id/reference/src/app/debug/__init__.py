"""Diagnostics for monitoring."""
