"""HTTP routes of authors and books."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.database import SessionDep
from app.library import service
from app.library.schemas import (
    AuthorCreate,
    AuthorPage,
    AuthorPublic,
    BookCreate,
    BookPage,
    BookPublic,
)

router = APIRouter(tags=["library"])

Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]


@router.post("/authors", status_code=status.HTTP_201_CREATED)
async def create_author(data: AuthorCreate, session: SessionDep) -> AuthorPublic:
    """Add an author."""
    return AuthorPublic.model_validate(await service.create_author(session, data))


@router.get("/authors")
async def list_authors(
    session: SessionDep, limit: Limit = 20, offset: Offset = 0
) -> AuthorPage:
    """One page of authors, oldest first, each with their books."""
    rows, total = await service.list_authors(session, limit=limit, offset=offset)
    items = [AuthorPublic.model_validate(row) for row in rows]
    return AuthorPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/authors/{author_id}")
async def get_author(author_id: int, session: SessionDep) -> AuthorPublic:
    """One author with their books."""
    return AuthorPublic.model_validate(await service.get_author(session, author_id))


@router.delete("/authors/{author_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_author(author_id: int, session: SessionDep) -> None:
    """Delete an author and their books."""
    await service.delete_author(session, author_id)


@router.post("/authors/{author_id}/books", status_code=status.HTTP_201_CREATED)
async def add_book(author_id: int, data: BookCreate, session: SessionDep) -> BookPublic:
    """Add a book to an author."""
    return BookPublic.model_validate(await service.add_book(session, author_id, data))


@router.get("/authors/{author_id}/books")
async def list_books_of_author(
    author_id: int, session: SessionDep, limit: Limit = 20, offset: Offset = 0
) -> BookPage:
    """One page of an author's books, oldest first."""
    rows, total = await service.list_books_of(
        session, author_id, limit=limit, offset=offset
    )
    items = [BookPublic.model_validate(row) for row in rows]
    return BookPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/books")
async def list_books(
    session: SessionDep, limit: Limit = 20, offset: Offset = 0
) -> BookPage:
    """One page of books, oldest first, each with its author."""
    rows, total = await service.list_books(session, limit=limit, offset=offset)
    items = [BookPublic.model_validate(row) for row in rows]
    return BookPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/books/{book_id}")
async def get_book(book_id: int, session: SessionDep) -> BookPublic:
    """One book with its author."""
    return BookPublic.model_validate(await service.get_book(session, book_id))
