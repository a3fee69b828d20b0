"""Settings read from the environment."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings: ``DATABASE_URL``, ``MAIL_DELAY_SECONDS``."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./campaigns.db"
    mail_delay_seconds: float = Field(default=0.5, ge=0)


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
