"""The ``oneshot`` solver: one reply with every file, and its reply format."""
