"""Settings read from the environment."""

import secrets
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings.

    Attributes:
        database_url: The SQLAlchemy URL of the database (``DATABASE_URL``).
        jwt_secret: The HS256 signing key (``JWT_SECRET``). Without one, a random key
            is made at startup, so tokens do not survive a restart.
        access_token_minutes: Lifetime of an access token (``ACCESS_TOKEN_MINUTES``).
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./notes.db"
    jwt_secret: SecretStr = Field(
        default_factory=lambda: SecretStr(secrets.token_urlsafe(48)), min_length=32
    )
    access_token_minutes: int = Field(default=30, gt=0, le=24 * 60)


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()


def settings_of(request: Request) -> Settings:
    """The settings the running application was built with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(settings_of)]
