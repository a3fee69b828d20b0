"""Settings read from the environment."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings: the pricing service and how long answers are kept."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    pricing_api_url: str = "http://127.0.0.1:9110"
    pricing_timeout_seconds: float = Field(default=2.0, gt=0)
    price_cache_seconds: float = Field(default=60.0, ge=0)


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
