"""HTTP routes of the expenses domain."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.database import SessionDep
from app.expenses import service
from app.expenses.schemas import ExpenseCreate, ExpensePage, ExpensePublic

router = APIRouter(prefix="/expenses", tags=["expenses"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_expense(data: ExpenseCreate, session: SessionDep) -> ExpensePublic:
    """Record an expense."""
    return ExpensePublic.model_validate(await service.create(session, data))


@router.get("")
async def list_expenses(
    session: SessionDep,
    category: Annotated[str | None, Query(max_length=50)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ExpensePage:
    """One page of expenses, by date."""
    rows, total = await service.list_page(
        session, category=category, limit=limit, offset=offset
    )
    items = [ExpensePublic.model_validate(row) for row in rows]
    return ExpensePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{expense_id}")
async def get_expense(expense_id: int, session: SessionDep) -> ExpensePublic:
    """One expense."""
    return ExpensePublic.model_validate(await service.get(session, expense_id))
