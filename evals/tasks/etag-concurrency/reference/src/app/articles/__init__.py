"""Articles: wiki pages changed under optimistic concurrency control."""
