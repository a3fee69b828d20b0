"""Projects and the tasks inside them."""
