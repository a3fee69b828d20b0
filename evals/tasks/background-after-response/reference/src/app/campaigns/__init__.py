"""Campaigns: one message for a list of recipients."""
