"""Errors of the expenses domain."""


class ExpenseNotFoundError(Exception):
    """No expense has the requested id."""

    def __init__(self, expense_id: int) -> None:
        """Name the missing expense."""
        super().__init__(f"expense {expense_id} not found")
        self.expense_id = expense_id
