"""Settings read from the environment; ``WEBHOOK_SIGNING_KEY`` is required."""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./webhooks.db"
    webhook_signing_key: SecretStr
    webhook_tolerance_seconds: int = Field(default=300, ge=1)


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
