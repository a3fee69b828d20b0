"""Errors of the notes domain."""

from app.errors import ForbiddenError, NotFoundError


class NoteNotFoundError(NotFoundError):
    """No note has the requested id."""

    def __init__(self, note_id: int) -> None:
        super().__init__(f"note {note_id} not found")


class NoteForbiddenError(ForbiddenError):
    """The note belongs to another user."""

    def __init__(self, note_id: int) -> None:
        super().__init__(f"note {note_id} belongs to another user")
