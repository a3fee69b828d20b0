from pathlib import Path

from alembic import command
from alembic.config import Config

PROJECT = Path(__file__).resolve().parents[1]


def alembic_config(database_url: str) -> Config:
    config = Config(toml_file=PROJECT / "pyproject.toml")
    config.attributes["database_url"] = database_url
    return config


def test_migrations_run_both_ways_and_match_the_models(tmp_path: Path) -> None:
    config = alembic_config(f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}")

    command.upgrade(config, "head")
    command.check(config)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
