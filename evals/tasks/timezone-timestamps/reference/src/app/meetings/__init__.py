"""Meetings: time ranges booked from any time zone."""
