"""The provider's payload and the weather report the API returns."""

from datetime import datetime

from pydantic import AwareDatetime, BaseModel


class ProviderLocation(BaseModel):
    """``location`` in the provider's answer."""

    name: str
    country: str


class ProviderCondition(BaseModel):
    """``current.condition`` in the provider's answer."""

    text: str


class ProviderCurrent(BaseModel):
    """``current`` in the provider's answer."""

    temp_c: float
    humidity: int
    condition: ProviderCondition
    last_updated: AwareDatetime


class ProviderAnswer(BaseModel):
    """What ``GET /v1/current`` of the provider returns."""

    location: ProviderLocation
    current: ProviderCurrent


class WeatherReport(BaseModel):
    """Current weather of a city, as this API returns it."""

    city: str
    country: str
    temperature_c: float
    condition: str
    humidity: int
    observed_at: datetime

    @classmethod
    def from_provider(cls, answer: ProviderAnswer) -> "WeatherReport":
        """Map the provider's answer onto the public shape."""
        return cls(
            city=answer.location.name,
            country=answer.location.country,
            temperature_c=answer.current.temp_c,
            condition=answer.current.condition.text,
            humidity=answer.current.humidity,
            observed_at=answer.current.last_updated,
        )
