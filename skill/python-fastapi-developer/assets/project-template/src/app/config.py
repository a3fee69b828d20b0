"""Application settings, read from the environment and ``.env`` when the app is built."""

from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Request
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    """Where the app runs; decides the API docs and who creates the tables."""

    LOCAL = "local"
    TEST = "test"
    STAGING = "staging"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Every setting the app reads; override any of them with an environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_name: str = "app"
    environment: Environment = Environment.LOCAL
    database_url: str = "sqlite+aiosqlite:///./app.db"
    cors_origins: list[str] = []
    log_level: str = "INFO"

    @property
    def show_docs(self) -> bool:
        """Serve /docs and /openapi.json everywhere except production."""
        return self.environment is not Environment.PRODUCTION

    @property
    def create_tables(self) -> bool:
        """Create missing tables at start locally and in tests; elsewhere Alembic does."""
        return self.environment in {Environment.LOCAL, Environment.TEST}


def get_settings(request: Request) -> Settings:
    """The settings the app was built with (``create_app`` stores them on ``app.state``)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
