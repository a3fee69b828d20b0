"""HTTP routes of the catalogue: authors and books."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.catalog import service
from app.catalog.schemas import (
    AuthorCreate,
    AuthorPublic,
    BookCreate,
    BookPublic,
    BookUpdate,
    Page,
)
from app.database import SessionDep

router = APIRouter()

Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]


@router.post("/authors", status_code=status.HTTP_201_CREATED, tags=["authors"])
async def create_author(data: AuthorCreate, session: SessionDep) -> AuthorPublic:
    """Add an author."""
    return AuthorPublic.model_validate(await service.create_author(session, data))


@router.get("/authors", tags=["authors"])
async def list_authors(
    session: SessionDep, limit: Limit = 20, offset: Offset = 0
) -> Page[AuthorPublic]:
    """One page of authors, oldest first."""
    rows, total = await service.list_authors(session, limit=limit, offset=offset)
    items = [AuthorPublic.model_validate(row) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/authors/{author_id}", tags=["authors"])
async def get_author(author_id: int, session: SessionDep) -> AuthorPublic:
    """One author."""
    return AuthorPublic.model_validate(await service.get_author(session, author_id))


@router.delete(
    "/authors/{author_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["authors"]
)
async def delete_author(author_id: int, session: SessionDep) -> None:
    """Delete an author who has no books."""
    await service.delete_author(session, author_id)


@router.post("/books", status_code=status.HTTP_201_CREATED, tags=["books"])
async def create_book(data: BookCreate, session: SessionDep) -> BookPublic:
    """Add a book."""
    return BookPublic.model_validate(await service.create_book(session, data))


@router.get("/books", tags=["books"])
async def list_books(
    session: SessionDep,
    author_id: int | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[BookPublic]:
    """One page of books, oldest first, optionally of one author."""
    rows, total = await service.list_books(
        session, author_id=author_id, limit=limit, offset=offset
    )
    items = [BookPublic.model_validate(row) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/books/{book_id}", tags=["books"])
async def get_book(book_id: int, session: SessionDep) -> BookPublic:
    """One book."""
    return BookPublic.model_validate(await service.get_book(session, book_id))


@router.patch("/books/{book_id}", tags=["books"])
async def update_book(
    book_id: int, data: BookUpdate, session: SessionDep
) -> BookPublic:
    """Change a book's title or publication year."""
    return BookPublic.model_validate(await service.update_book(session, book_id, data))


@router.delete(
    "/books/{book_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["books"]
)
async def delete_book(book_id: int, session: SessionDep) -> None:
    """Delete a book."""
    await service.delete_book(session, book_id)
