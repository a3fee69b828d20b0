"""Expense queries and writes."""

from collections.abc import AsyncIterator
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.expenses.exceptions import ExpenseNotFoundError
from app.expenses.models import Expense
from app.expenses.schemas import ExpenseCreate


async def create(session: AsyncSession, data: ExpenseCreate) -> Expense:
    """Record an expense."""
    expense = Expense(**data.model_dump())
    session.add(expense)
    await session.commit()
    return expense


async def get(session: AsyncSession, expense_id: int) -> Expense:
    """The expense with this id.

    Raises:
        ExpenseNotFoundError: When there is none.
    """
    expense = await session.get(Expense, expense_id)
    if expense is None:
        raise ExpenseNotFoundError(expense_id)
    return expense


def _ordered(
    category: str | None, start: date | None = None, end: date | None = None
) -> Select[Expense]:
    statement = select(Expense)
    if category is not None:
        statement = statement.where(Expense.category == category)
    if start is not None:
        statement = statement.where(Expense.spent_on >= start)
    if end is not None:
        statement = statement.where(Expense.spent_on <= end)
    return statement.order_by(Expense.spent_on, Expense.id)


async def list_page(
    session: AsyncSession, *, category: str | None, limit: int, offset: int
) -> tuple[list[Expense], int]:
    """One page of expenses by date, and how many match in all."""
    statement = _ordered(category)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = await session.scalars(statement.limit(limit).offset(offset))
    return list(rows), total or 0


async def stream(
    session: AsyncSession,
    *,
    category: str | None,
    start: date | None,
    end: date | None,
) -> AsyncIterator[Expense]:
    """Every matching expense by date, fetched in batches rather than all at once."""
    statement = _ordered(category, start, end).execution_options(yield_per=500)
    async for expense in await session.stream_scalars(statement):
        yield expense
