"""Errors of the library domain."""


class AuthorNotFoundError(Exception):
    """No author has the requested id."""

    def __init__(self, author_id: int) -> None:
        super().__init__(f"author {author_id} not found")


class BookNotFoundError(Exception):
    """No book has the requested id."""

    def __init__(self, book_id: int) -> None:
        super().__init__(f"book {book_id} not found")
