"""Partner apps and their API keys."""
