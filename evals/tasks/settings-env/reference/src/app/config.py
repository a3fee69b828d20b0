"""Settings read from the environment (and an optional ``.env`` file)."""

from functools import lru_cache
from typing import Annotated

from pydantic import AnyHttpUrl, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Everything configurable, with its environment variable in upper case.

    Attributes:
        app_name: Shown by ``GET /config`` (``APP_NAME``).
        database_url: Async SQLAlchemy URL (``DATABASE_URL``).
        public_base_url: Where short links point (``PUBLIC_BASE_URL``).
        code_length: Characters in a generated code (``CODE_LENGTH``, 4 to 16).
        allowed_domains: Hosts links may point to; empty allows all
            (``ALLOWED_DOMAINS``, comma-separated).
        admin_key: Bearer token that allows deleting links (``ADMIN_KEY``, required).
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_name: str = "Link shortener"
    database_url: str = "sqlite+aiosqlite:///./links.db"
    public_base_url: AnyHttpUrl = AnyHttpUrl("http://localhost:8000")
    code_length: int = Field(default=7, ge=4, le=16)
    allowed_domains: Annotated[list[str], NoDecode] = Field(default_factory=list)
    admin_key: SecretStr = Field(min_length=8)

    @field_validator("allowed_domains", mode="before")
    @classmethod
    def _split_domains(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip().lower() for part in value.split(",") if part.strip()]
        return value

    @property
    def base_url(self) -> str:
        """``public_base_url`` without a trailing slash."""
        return str(self.public_base_url).rstrip("/")


@lru_cache
def get_settings() -> Settings:
    """The settings, read once."""
    return Settings()
