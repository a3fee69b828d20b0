"""Incoming payment webhooks and the payments they update."""
