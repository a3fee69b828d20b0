"""Products of the catalogue."""
