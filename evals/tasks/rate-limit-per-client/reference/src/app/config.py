"""Settings read from the environment."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings.

    Attributes:
        database_url: The SQLAlchemy URL of the database (``DATABASE_URL``).
        rate_limit_requests: Requests a key may make per window (``RATE_LIMIT_REQUESTS``).
        rate_limit_window_seconds: The sliding window (``RATE_LIMIT_WINDOW_SECONDS``).
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./quotes.db"
    rate_limit_requests: int = Field(default=60, ge=1)
    rate_limit_window_seconds: float = Field(default=60.0, gt=0)


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
