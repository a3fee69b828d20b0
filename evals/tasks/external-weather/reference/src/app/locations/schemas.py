"""Request and response bodies of saved places."""

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.weather.schemas import WeatherReport


class LocationCreate(BaseModel):
    """What a client sends to save a place."""

    name: str = Field(min_length=1, max_length=100)
    city: str = Field(min_length=1, max_length=100)


class LocationPublic(BaseModel):
    """A saved place as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    city: str
    created_at: datetime

    @field_validator("created_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        """SQLite returns naive UTC timestamps: mark them as UTC."""
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class LocationPage(BaseModel):
    """One page of saved places."""

    items: list[LocationPublic]
    total: int
    limit: int
    offset: int


class LocationWeather(BaseModel):
    """A saved place and its current weather."""

    location: LocationPublic
    weather: WeatherReport
