"""Settings read from the environment."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings; ``DATABASE_URL`` selects the database."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./catalog.db"


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
