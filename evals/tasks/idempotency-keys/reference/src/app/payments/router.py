"""HTTP routes of the payments domain."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from app.database import SessionDep
from app.payments import service
from app.payments.dependencies import AccountId
from app.payments.schemas import PaymentCreate, PaymentPage, PaymentPublic

router = APIRouter(prefix="/payments", tags=["payments"])

IdempotencyKey = Annotated[
    str | None, Header(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PaymentPublic,
)
async def create_payment(
    data: PaymentCreate,
    account: AccountId,
    session: SessionDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Capture a payment once per idempotency key."""
    answer = await service.create(session, account, data, idempotency_key)
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else {}
    return Response(
        content=answer.body,
        status_code=answer.status_code,
        media_type="application/json",
        headers=headers,
    )


@router.get("")
async def list_payments(
    account: AccountId,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> PaymentPage:
    """One page of the account's payments, oldest first."""
    rows, total = await service.list_page(session, account, limit=limit, offset=offset)
    items = [PaymentPublic.model_validate(row) for row in rows]
    return PaymentPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{payment_id}")
async def get_payment(
    payment_id: int, account: AccountId, session: SessionDep
) -> PaymentPublic:
    """One of the account's payments."""
    return PaymentPublic.model_validate(await service.get(session, account, payment_id))


@router.post("/{payment_id}/refund")
async def refund_payment(
    payment_id: int, account: AccountId, session: SessionDep
) -> PaymentPublic:
    """Refund a captured payment."""
    payment = await service.refund(session, account, payment_id)
    return PaymentPublic.model_validate(payment)
