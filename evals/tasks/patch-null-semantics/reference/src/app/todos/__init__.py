"""To-dos and their partial and full updates."""
