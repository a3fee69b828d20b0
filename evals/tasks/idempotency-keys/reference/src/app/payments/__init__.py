"""Payments: created at most once per idempotency key."""
