"""Settings read from the environment."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings: database, where contents live, the size limit."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./files.db"
    storage_dir: Path = Path("uploads")
    max_upload_bytes: int = Field(default=1_048_576, ge=1)


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
