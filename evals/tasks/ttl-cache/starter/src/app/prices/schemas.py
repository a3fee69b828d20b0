"""Bodies of the prices domain."""

from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel

Sku = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,32}$")]
Currency = Annotated[str, Query(pattern=r"^[A-Za-z]{3}$")]


class Price(BaseModel):
    """A price as the pricing service and this API give it."""

    sku: str
    currency: str
    amount: str
