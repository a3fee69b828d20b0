"""Errors of the bookmarks domain."""


class BookmarkNotFoundError(Exception):
    """No bookmark has the requested id."""

    def __init__(self, bookmark_id: int) -> None:
        """Name the missing bookmark."""
        super().__init__(f"bookmark {bookmark_id} not found")
        self.bookmark_id = bookmark_id
