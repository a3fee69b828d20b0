"""Application settings, read once from the environment and ``.env``."""

from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    """Where the app runs; decides whether the API docs are served."""

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


@lru_cache
def get_settings() -> Settings:
    """The settings, read once per process (tests pass their own to ``create_app``)."""
    return Settings()


SettingsDep = Annotated[Settings, Depends(get_settings)]
