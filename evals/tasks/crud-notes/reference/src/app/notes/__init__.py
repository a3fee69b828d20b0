"""Notes: the one resource of this API."""
