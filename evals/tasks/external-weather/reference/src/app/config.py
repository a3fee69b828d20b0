"""Settings read from the environment."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings, one environment variable each (``WEATHER_API_URL``...)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./weather.db"
    weather_api_url: str = "http://127.0.0.1:9100"
    weather_account_id: str = ""
    weather_timeout_seconds: float = Field(default=2.0, gt=0)
    weather_cache_seconds: float = Field(default=300.0, ge=0)


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
