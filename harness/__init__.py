"""skill-harness: measure whether an Agent Skill makes a model write better FastAPI code."""

__version__ = "0.1.0"
