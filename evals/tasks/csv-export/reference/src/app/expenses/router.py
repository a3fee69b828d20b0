"""HTTP routes of the expenses domain."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.responses import StreamingResponse

from app.database import SessionDep
from app.expenses import export, service
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


@router.get("/export", response_class=StreamingResponse)
async def export_expenses(
    session: SessionDep,
    category: Annotated[str | None, Query(max_length=50)] = None,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> StreamingResponse:
    """The matching expenses as a CSV file, streamed row by row."""
    if start is not None and end is not None and start > end:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=f"'from' ({start}) is after 'to' ({end})",
        )
    expenses = service.stream(session, category=category, start=start, end=end)
    return StreamingResponse(
        export.lines(expenses),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="expenses.csv"'},
    )


@router.get("/{expense_id}")
async def get_expense(expense_id: int, session: SessionDep) -> ExpensePublic:
    """One expense."""
    return ExpensePublic.model_validate(await service.get(session, expense_id))
