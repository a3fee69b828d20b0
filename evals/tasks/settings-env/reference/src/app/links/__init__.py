"""Short links: create, resolve, delete."""
