"""Payment queries and writes; creation is idempotent per (account, key)."""

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.payments.exceptions import (
    AlreadyRefundedError,
    KeyInProgressError,
    KeyReusedError,
    PaymentNotFoundError,
)
from app.payments.models import IdempotencyRecord, Payment
from app.payments.schemas import PaymentCreate, PaymentPublic

CAPTURED = "captured"
REFUNDED = "refunded"


@dataclass(frozen=True)
class Answer:
    """What to send back: a status code, a JSON body, and whether it is a replay."""

    status_code: int
    body: str
    replayed: bool = False


def fingerprint(data: PaymentCreate) -> str:
    """A digest of the request's values, independent of field order and whitespace."""
    return hashlib.sha256(data.model_dump_json().encode()).hexdigest()


async def _stored(
    session: AsyncSession, account_id: str, key: str
) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(
        IdempotencyRecord.account_id == account_id, IdempotencyRecord.key == key
    )
    return await session.scalar(query)


def _replay(record: IdempotencyRecord, digest: str) -> Answer:
    if record.fingerprint != digest:
        raise KeyReusedError
    return Answer(record.status_code, record.body, replayed=True)


async def create(
    session: AsyncSession, account_id: str, data: PaymentCreate, key: str | None
) -> Answer:
    """Capture a payment, or replay the stored answer to the same key.

    Raises:
        KeyReusedError: When the key was used with a different body.
        KeyInProgressError: When a request with the key is still running.
    """
    digest = fingerprint(data)
    if key is not None and (record := await _stored(session, account_id, key)):
        return _replay(record, digest)
    payment = Payment(account_id=account_id, status=CAPTURED, **data.model_dump())
    session.add(payment)
    await session.flush()
    body = PaymentPublic.model_validate(payment).model_dump_json()
    if key is not None:
        session.add(
            IdempotencyRecord(
                account_id=account_id,
                key=key,
                fingerprint=digest,
                status_code=201,
                body=body,
            )
        )
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        record = await _stored(session, account_id, key or "")
        if record is None:
            raise KeyInProgressError from None
        return _replay(record, digest)
    return Answer(201, body)


async def get(session: AsyncSession, account_id: str, payment_id: int) -> Payment:
    """The account's payment with this id.

    Raises:
        PaymentNotFoundError: When the account has none.
    """
    payment = await session.get(Payment, payment_id)
    if payment is None or payment.account_id != account_id:
        raise PaymentNotFoundError(payment_id)
    return payment


async def list_page(
    session: AsyncSession, account_id: str, *, limit: int, offset: int
) -> tuple[list[Payment], int]:
    """One page of the account's payments, oldest first, and how many it has."""
    mine = Payment.account_id == account_id
    total = await session.scalar(select(func.count()).where(mine))
    rows = await session.scalars(
        select(Payment).where(mine).order_by(Payment.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def refund(session: AsyncSession, account_id: str, payment_id: int) -> Payment:
    """Refund a captured payment.

    Raises:
        PaymentNotFoundError: When the account has no such payment.
        AlreadyRefundedError: When it was refunded before.
    """
    payment = await get(session, account_id, payment_id)
    if payment.status == REFUNDED:
        raise AlreadyRefundedError(payment_id)
    payment.status = REFUNDED
    await session.commit()
    return payment
