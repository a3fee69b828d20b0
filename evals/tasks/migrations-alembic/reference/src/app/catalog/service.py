"""Catalogue queries and writes."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.exceptions import (
    AuthorHasBooksError,
    AuthorNotFoundError,
    BookNotFoundError,
    IsbnTakenError,
)
from app.catalog.models import Author, Book
from app.catalog.schemas import AuthorCreate, BookCreate, BookUpdate


async def create_author(session: AsyncSession, data: AuthorCreate) -> Author:
    """Save a new author."""
    author = Author(name=data.name)
    session.add(author)
    await session.commit()
    await session.refresh(author)
    return author


async def get_author(session: AsyncSession, author_id: int) -> Author:
    """The author with this id.

    Raises:
        AuthorNotFoundError: When there is none.
    """
    author = await session.get(Author, author_id)
    if author is None:
        raise AuthorNotFoundError(author_id)
    return author


async def list_authors(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Author], int]:
    """One page of authors, oldest first, and the total count."""
    total = await session.scalar(select(func.count()).select_from(Author)) or 0
    rows = await session.scalars(
        select(Author).order_by(Author.id).limit(limit).offset(offset)
    )
    return list(rows), total


async def delete_author(session: AsyncSession, author_id: int) -> None:
    """Delete an author who has no books.

    Raises:
        AuthorNotFoundError: When there is none.
        AuthorHasBooksError: When books still reference the author.
    """
    author = await get_author(session, author_id)
    books = await session.scalar(
        select(func.count()).select_from(Book).where(Book.author_id == author_id)
    )
    if books:
        raise AuthorHasBooksError(author_id)
    await session.delete(author)
    await session.commit()


async def create_book(session: AsyncSession, data: BookCreate) -> Book:
    """Save a new book.

    Raises:
        AuthorNotFoundError: When the author does not exist.
        IsbnTakenError: When another book has the same ISBN.
    """
    await get_author(session, data.author_id)
    book = Book(**data.model_dump())
    session.add(book)
    try:
        await session.commit()
    except IntegrityError as error:
        await session.rollback()
        raise IsbnTakenError(data.isbn) from error
    await session.refresh(book)
    return book


async def get_book(session: AsyncSession, book_id: int) -> Book:
    """The book with this id.

    Raises:
        BookNotFoundError: When there is none.
    """
    book = await session.get(Book, book_id)
    if book is None:
        raise BookNotFoundError(book_id)
    return book


async def list_books(
    session: AsyncSession, *, author_id: int | None, limit: int, offset: int
) -> tuple[list[Book], int]:
    """One page of books, oldest first, optionally of one author, and the total."""
    query = select(Book)
    if author_id is not None:
        query = query.where(Book.author_id == author_id)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Book.id).limit(limit).offset(offset))
    return list(rows), total or 0


async def update_book(session: AsyncSession, book_id: int, data: BookUpdate) -> Book:
    """Change the fields the client sent.

    Raises:
        BookNotFoundError: When there is none.
    """
    book = await get_book(session, book_id)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(book, field, value)
    await session.commit()
    await session.refresh(book)
    return book


async def delete_book(session: AsyncSession, book_id: int) -> None:
    """Delete a book.

    Raises:
        BookNotFoundError: When there is none.
    """
    book = await get_book(session, book_id)
    await session.delete(book)
    await session.commit()
