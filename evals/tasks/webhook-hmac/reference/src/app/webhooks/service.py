"""Record events once and apply payment events."""

from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.database import utc_now
from app.webhooks.exceptions import NotFoundError
from app.webhooks.models import Event, Payment
from app.webhooks.schemas import PAYMENT_STATUS, EventIn, Outcome, PaymentData


async def receive(session: AsyncSession, event: EventIn) -> Outcome:
    """Record the event and apply it, in one transaction, unless it was seen before.

    The event id is the primary key: of two deliveries racing, the second one's insert
    fails and is reported as a duplicate instead of being applied twice.
    """
    session.add(Event(id=event.id, type=event.type))
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        return Outcome.DUPLICATE
    status = PAYMENT_STATUS.get(event.type)
    if status is not None:
        data = PaymentData.model_validate(event.data)
        await session.execute(
            insert(Payment)
            .values(payment_id=data.payment_id, status=status, amount=data.amount)
            .on_conflict_do_update(
                index_elements=[Payment.payment_id],
                set_={"status": status, "amount": data.amount, "updated_at": utc_now()},
            )
        )
    await session.commit()
    return Outcome.PROCESSED if status is not None else Outcome.IGNORED


async def get_event(session: AsyncSession, event_id: str) -> Event:
    """A recorded event.

    Raises:
        NotFoundError: When it was never recorded.
    """
    event = await session.get(Event, event_id)
    if event is None:
        msg = f"event {event_id} not found"
        raise NotFoundError(msg)
    return event


async def get_payment(session: AsyncSession, payment_id: str) -> Payment:
    """A payment's latest state.

    Raises:
        NotFoundError: When no event named it.
    """
    payment = await session.get(Payment, payment_id)
    if payment is None:
        msg = f"payment {payment_id} not found"
        raise NotFoundError(msg)
    return payment
