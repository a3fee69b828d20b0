"""Customer queries and writes; deleted customers are hidden unless asked for."""

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.customers.exceptions import CustomerNotFoundError, NotDeletedError
from app.customers.models import Customer
from app.customers.schemas import CustomerCreate, CustomerUpdate


async def create(session: AsyncSession, data: CustomerCreate) -> Customer:
    """Save a new customer."""
    customer = Customer(**data.model_dump())
    session.add(customer)
    await session.commit()
    return customer


async def get(
    session: AsyncSession, customer_id: int, *, include_deleted: bool = False
) -> Customer:
    """The customer with this id, deleted ones only if asked for.

    Raises:
        CustomerNotFoundError: When there is none (or it is deleted and hidden).
    """
    customer = await session.get(Customer, customer_id)
    if customer is None or (customer.deleted_at is not None and not include_deleted):
        raise CustomerNotFoundError(customer_id)
    return customer


async def list_page(
    session: AsyncSession, *, limit: int, offset: int, include_deleted: bool
) -> tuple[list[Customer], int]:
    """One page of customers, oldest first, and how many there are."""
    statement = select(Customer)
    if not include_deleted:
        statement = statement.where(Customer.deleted_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(
        statement.order_by(Customer.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def update(
    session: AsyncSession, customer_id: int, data: CustomerUpdate
) -> Customer:
    """Change the fields sent of a visible customer.

    Raises:
        CustomerNotFoundError: When there is no such visible customer.
    """
    customer = await get(session, customer_id)
    for field, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(customer, field, value)
    await session.commit()
    return customer


async def soft_delete(session: AsyncSession, customer_id: int) -> None:
    """Hide a customer.

    Raises:
        CustomerNotFoundError: When there is no such visible customer.
    """
    customer = await get(session, customer_id)
    customer.deleted_at = datetime.now(UTC)
    await session.commit()


async def restore(session: AsyncSession, customer_id: int) -> Customer:
    """Bring a deleted customer back.

    Raises:
        CustomerNotFoundError: When there is no such customer at all.
        NotDeletedError: When the customer is not deleted.
    """
    customer = await get(session, customer_id, include_deleted=True)
    if customer.deleted_at is None:
        raise NotDeletedError(customer_id)
    customer.deleted_at = None
    await session.commit()
    return customer
