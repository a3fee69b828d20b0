"""Settings read from the environment."""

from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Application settings.

    Attributes:
        database_url: The SQLAlchemy URL of the database (``DATABASE_URL``).
        jwt_signing_key: The HS256 key tokens are signed with (``JWT_SIGNING_KEY``).
        admin_username: The administrator created at startup (``ADMIN_USERNAME``).
        admin_passphrase: The administrator's password (``ADMIN_PASSPHRASE``).
        access_token_minutes: Lifetime of an access token.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./stockroom.db"
    jwt_signing_key: SecretStr = Field(min_length=32)
    admin_username: str = "admin"
    admin_passphrase: SecretStr = Field(min_length=8)
    access_token_minutes: int = Field(default=15, gt=0)


@lru_cache
def get_settings() -> Settings:
    """The settings, read once (fails fast when a required one is missing)."""
    return Settings()


def settings_of(request: Request) -> Settings:
    """The settings the running application was built with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(settings_of)]
