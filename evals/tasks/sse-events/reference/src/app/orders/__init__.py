"""Orders and their live feed."""
