"""Uploaded files: metadata in the database, contents on disk."""
