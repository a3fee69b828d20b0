"""Errors of the notes domain."""


class NoteNotFoundError(Exception):
    """No note has the requested id."""

    def __init__(self, note_id: int) -> None:
        """Name the missing note."""
        super().__init__(f"note {note_id} not found")
        self.note_id = note_id
