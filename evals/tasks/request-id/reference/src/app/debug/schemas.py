"""Diagnostics have no bodies of their own: a crash answers with the error body."""
