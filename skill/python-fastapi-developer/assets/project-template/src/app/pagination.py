"""Query parameters and the response envelope shared by every list endpoint."""

from pydantic import BaseModel, Field


class PageParams(BaseModel):
    """``?limit=&offset=``, validated; declare as ``Annotated[PageParams, Query()]``."""

    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0)


class Page[ItemT](BaseModel):
    """One page of results and the total count, so clients can paginate."""

    items: list[ItemT]
    total: int
    limit: int
    offset: int
