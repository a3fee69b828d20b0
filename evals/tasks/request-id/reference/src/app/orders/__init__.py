"""Orders, each remembering the request that created it."""
