"""Customers: soft-deleted, restorable by administrators."""
