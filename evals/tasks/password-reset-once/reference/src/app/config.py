"""Settings read from the environment."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./accounts.db"
    reset_link_ttl_seconds: int = Field(default=900, ge=1)
    reset_link_base: str = "https://app.example.com/reset-password"
    outbox_api_enabled: bool = False


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
