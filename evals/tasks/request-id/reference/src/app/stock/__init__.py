"""Stock levels, read from the inventory service."""
