"""Errors of the meetings domain."""


class MeetingNotFoundError(Exception):
    """No meeting has the requested id."""

    def __init__(self, meeting_id: int) -> None:
        """Name the missing meeting."""
        super().__init__(f"meeting {meeting_id} not found")
