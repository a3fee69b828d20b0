"""Products of the catalog."""
