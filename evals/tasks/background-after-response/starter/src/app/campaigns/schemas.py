"""Request and response bodies."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field


def _as_utc(value: datetime) -> datetime:
    """SQLite returns naive UTC timestamps: mark them as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _normalise(addresses: list[str]) -> list[str]:
    """Lower-case, drop duplicates, keep the first occurrence's order."""
    return list(dict.fromkeys(address.lower() for address in addresses))


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
Recipients = Annotated[
    list[EmailStr], Field(min_length=1, max_length=50), AfterValidator(_normalise)
]


class CampaignCreate(BaseModel):
    """A new campaign."""

    subject: Annotated[str, Field(min_length=1, max_length=200)]
    body: Annotated[str, Field(max_length=20_000)] = ""
    recipients: Recipients


class CampaignPublic(BaseModel):
    """A campaign as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    subject: str
    body: str
    recipients: list[str]
    status: str
    created_at: UtcDatetime


class CampaignPage(BaseModel):
    """One page of campaigns."""

    items: list[CampaignPublic]
    total: int
    limit: int
    offset: int
