from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.database import Base
from app.models import load_models
from tests.conftest import alembic_config


def _tables(path: Path) -> set[str]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_matches_the_models(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    command.upgrade(alembic_config(f"sqlite+aiosqlite:///{path}"), "head")
    load_models()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_and_upgrade_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    config = alembic_config(f"sqlite+aiosqlite:///{path}")
    command.upgrade(config, "head")
    assert _tables(path) == {"author", "book"}
    command.downgrade(config, "-1")
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    assert _tables(path) == set()
    command.upgrade(config, "head")
    assert _tables(path) == {"author", "book"}
