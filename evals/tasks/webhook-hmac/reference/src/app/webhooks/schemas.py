"""Event bodies and responses."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: Event types that change a payment, and the status each one sets.
PAYMENT_STATUS = {
    "payment.succeeded": "succeeded",
    "payment.failed": "failed",
    "payment.refunded": "refunded",
}


class EventIn(BaseModel):
    """Any event the provider sends."""

    id: str = Field(min_length=1, max_length=100)
    type: str = Field(min_length=1, max_length=100)
    data: dict[str, Any]


class PaymentData(BaseModel):
    """The ``data`` of a payment event."""

    payment_id: str = Field(min_length=1, max_length=100)
    amount: int = Field(ge=0)


class Outcome(StrEnum):
    """What happened to a delivery."""

    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"


class DeliveryResult(BaseModel):
    """The answer to the provider."""

    status: Outcome


class EventPublic(BaseModel):
    """A recorded event."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    type: str
    received_at: datetime


class PaymentPublic(BaseModel):
    """A payment's latest state."""

    model_config = ConfigDict(from_attributes=True)

    payment_id: str
    status: str
    amount: int
    updated_at: datetime
