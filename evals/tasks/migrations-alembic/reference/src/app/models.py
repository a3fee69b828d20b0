"""Imports every ORM model so that ``Base.metadata`` knows all tables (for Alembic)."""


def load_models() -> None:
    """Register every model module on ``Base.metadata``."""
    import app.catalog.models  # noqa: F401 - imported for its side effect
