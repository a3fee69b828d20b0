"""Queries and writes of authors and books.

Every read loads what the response embeds in a fixed number of statements:
``selectinload`` for collections, ``joinedload`` for a single parent.
"""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from app.library.exceptions import AuthorNotFoundError, BookNotFoundError
from app.library.models import Author, Book
from app.library.schemas import AuthorCreate, BookCreate


async def create_author(session: AsyncSession, data: AuthorCreate) -> Author:
    """Add an author, with no books yet."""
    author = Author(name=data.name, books=[])
    session.add(author)
    await session.commit()
    return author


async def get_author(session: AsyncSession, author_id: int) -> Author:
    """The author with their books (2 statements).

    Raises:
        AuthorNotFoundError: When there is none.
    """
    author = await session.scalar(
        select(Author).where(Author.id == author_id).options(selectinload(Author.books))
    )
    if author is None:
        raise AuthorNotFoundError(author_id)
    return author


async def list_authors(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Author], int]:
    """One page of authors with their books, and the total (3 statements)."""
    total = await session.scalar(select(func.count()).select_from(Author)) or 0
    authors = await session.scalars(
        select(Author)
        .options(selectinload(Author.books))
        .order_by(Author.id)
        .limit(limit)
        .offset(offset)
    )
    return list(authors), total


async def delete_author(session: AsyncSession, author_id: int) -> None:
    """Delete an author; the database deletes their books (``ON DELETE CASCADE``).

    Raises:
        AuthorNotFoundError: When there is none.
    """
    author = await session.get(Author, author_id)
    if author is None:
        raise AuthorNotFoundError(author_id)
    await session.delete(author)
    await session.commit()


async def add_book(session: AsyncSession, author_id: int, data: BookCreate) -> Book:
    """Add a book to an author.

    Raises:
        AuthorNotFoundError: When there is no such author.
    """
    author = await session.get(Author, author_id)
    if author is None:
        raise AuthorNotFoundError(author_id)
    book = Book(author=author, title=data.title, year=data.year)
    session.add(book)
    await session.commit()
    return book


async def get_book(session: AsyncSession, book_id: int) -> Book:
    """The book with its author (1 statement).

    Raises:
        BookNotFoundError: When there is none.
    """
    book = await session.scalar(
        select(Book).where(Book.id == book_id).options(joinedload(Book.author))
    )
    if book is None:
        raise BookNotFoundError(book_id)
    return book


async def list_books(
    session: AsyncSession, *, limit: int, offset: int, author_id: int | None = None
) -> tuple[list[Book], int]:
    """One page of books with their authors, and the total (2 statements).

    Args:
        session: The database session.
        limit: Page size.
        offset: Books to skip.
        author_id: Only this author's books, when given.
    """
    count = select(func.count()).select_from(Book)
    page = select(Book).options(joinedload(Book.author))
    if author_id is not None:
        count = count.where(Book.author_id == author_id)
        page = page.where(Book.author_id == author_id)
    total = await session.scalar(count) or 0
    books = await session.scalars(page.order_by(Book.id).limit(limit).offset(offset))
    return list(books), total


async def list_books_of(
    session: AsyncSession, author_id: int, *, limit: int, offset: int
) -> tuple[list[Book], int]:
    """One page of an author's books (3 statements).

    Raises:
        AuthorNotFoundError: When there is no such author.
    """
    if await session.get(Author, author_id) is None:
        raise AuthorNotFoundError(author_id)
    return await list_books(session, limit=limit, offset=offset, author_id=author_id)
