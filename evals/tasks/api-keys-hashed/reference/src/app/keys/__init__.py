"""API keys: issued to partners, stored hashed, scoped, revocable."""
