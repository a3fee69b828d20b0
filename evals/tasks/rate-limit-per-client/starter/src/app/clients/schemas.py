"""Request and response bodies of the clients domain."""

from typing import Annotated

from pydantic import BaseModel, Field


class ClientCreate(BaseModel):
    """A partner registering."""

    name: Annotated[str, Field(min_length=1, max_length=100)]


class ClientCreated(BaseModel):
    """The new client and its API key, shown only once."""

    id: int
    name: str
    api_key: str
