"""HTTP routes: the provider's webhook and the read endpoints."""

import time
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from pydantic import ValidationError

from app.config import Settings, get_settings
from app.database import SessionDep
from app.webhooks import service, signature
from app.webhooks.schemas import (
    PAYMENT_STATUS,
    DeliveryResult,
    EventIn,
    EventPublic,
    PaymentData,
    PaymentPublic,
)

router = APIRouter(tags=["webhooks"])
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _parse(body: bytes) -> EventIn:
    """The event in a verified body; 422 when it is not a valid event."""
    try:
        event = EventIn.model_validate_json(body)
        if event.type in PAYMENT_STATUS:
            PaymentData.model_validate(event.data)
    except ValidationError as error:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=error.errors(include_url=False, include_context=False),
        ) from None
    return event


@router.post("/webhooks/payments")
async def payment_webhook(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    x_timestamp: Annotated[str | None, Header()] = None,
    x_signature: Annotated[str | None, Header()] = None,
) -> DeliveryResult:
    """Verify, record and apply one delivery from the payment provider."""
    body = await request.body()
    signature.verify(
        key=settings.webhook_signing_key.get_secret_value().encode(),
        body=body,
        timestamp=x_timestamp,
        signatures=x_signature,
        now=time.time(),
        tolerance=settings.webhook_tolerance_seconds,
    )
    return DeliveryResult(status=await service.receive(session, _parse(body)))


@router.get("/webhooks/events/{event_id}")
async def get_event(event_id: str, session: SessionDep) -> EventPublic:
    """A recorded event."""
    return EventPublic.model_validate(await service.get_event(session, event_id))


@router.get("/payments/{payment_id}")
async def get_payment(payment_id: str, session: SessionDep) -> PaymentPublic:
    """A payment's latest state."""
    return PaymentPublic.model_validate(await service.get_payment(session, payment_id))
