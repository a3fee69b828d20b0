"""Agent Skills: lint a skill folder like code, pack it, and install it into coding agents."""
