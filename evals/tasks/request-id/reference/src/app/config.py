"""Settings read from the environment."""

from functools import lru_cache

from pydantic import AnyHttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings: the database and the inventory service."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./orders.db"
    inventory_api_url: AnyHttpUrl
    inventory_timeout_seconds: float = 5.0


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
