"""Settings read from the environment; ``ADMIN_KEY`` is required."""

from functools import lru_cache

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./apikeys.db"
    admin_key: SecretStr


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
