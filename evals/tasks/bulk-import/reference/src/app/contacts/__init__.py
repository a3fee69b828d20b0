"""Contacts and their bulk import."""
