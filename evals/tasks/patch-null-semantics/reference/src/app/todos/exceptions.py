"""Errors of the to-dos domain."""


class TodoNotFoundError(Exception):
    """No to-do has the requested id."""

    def __init__(self, todo_id: int) -> None:
        """Name the missing to-do."""
        super().__init__(f"to-do {todo_id} not found")
        self.todo_id = todo_id
