"""Errors of the catalogue."""

from fastapi import status

from app.errors import AppError, NotFoundError


class AuthorNotFoundError(NotFoundError):
    """No author has the requested id."""

    code = "author_not_found"

    def __init__(self, author_id: int) -> None:
        super().__init__(f"author {author_id} not found")


class BookNotFoundError(NotFoundError):
    """No book has the requested id."""

    code = "book_not_found"

    def __init__(self, book_id: int) -> None:
        super().__init__(f"book {book_id} not found")


class IsbnTakenError(AppError):
    """Another book already has this ISBN."""

    status_code = status.HTTP_409_CONFLICT
    code = "isbn_taken"

    def __init__(self, isbn: str) -> None:
        super().__init__(f"a book with ISBN {isbn} already exists")


class AuthorHasBooksError(AppError):
    """An author cannot be deleted while books reference them."""

    status_code = status.HTTP_409_CONFLICT
    code = "author_has_books"

    def __init__(self, author_id: int) -> None:
        super().__init__(f"author {author_id} still has books")
