"""CSV rendering of expenses: RFC 4180 quoting, two-decimal amounts, no formulas."""

import csv
import io
from collections.abc import AsyncIterator

from app.expenses.models import Expense

HEADER = ("id", "spent_on", "category", "description", "amount")
#: A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def _text(value: str) -> str:
    """The value, made inert if a spreadsheet would run it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def _amount(cents: int) -> str:
    """Cents as currency units with two decimals: ``4250`` is ``42.50``."""
    return f"{cents // 100}.{cents % 100:02d}"


def _line(fields: tuple[object, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(fields)
    return buffer.getvalue()


def row(expense: Expense) -> tuple[object, ...]:
    """One expense as CSV fields, in ``HEADER`` order."""
    return (
        expense.id,
        expense.spent_on.isoformat(),
        _text(expense.category),
        _text(expense.description),
        _amount(expense.amount_cents),
    )


async def lines(expenses: AsyncIterator[Expense]) -> AsyncIterator[str]:
    """The header, then one CSV line per expense, as they arrive."""
    yield _line(HEADER)
    async for expense in expenses:
        yield _line(row(expense))
