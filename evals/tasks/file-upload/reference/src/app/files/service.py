"""Storing, reading and deleting files; every disk access is async (anyio.Path)."""

import hashlib
from pathlib import Path

from anyio import Path as AsyncPath
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.files.checks import check_content, clean_filename, media_type
from app.files.exceptions import (
    EmptyFileError,
    FileNotFoundInStoreError,
    FileTooLargeError,
)
from app.files.models import StoredFile


def _content_path(storage_dir: Path, file_id: int) -> AsyncPath:
    return AsyncPath(storage_dir) / str(file_id)


async def store(
    session: AsyncSession,
    storage_dir: Path,
    *,
    filename: str | None,
    content_type: str | None,
    content: bytes,
    limit: int,
) -> StoredFile:
    """Check an upload and keep it.

    Raises:
        FileTooLargeError: Over ``limit`` bytes.
        EmptyFileError: No content.
        UnsupportedFileTypeError: A type not accepted, or content not of that type.
    """
    if len(content) > limit:
        raise FileTooLargeError(limit)
    if not content:
        raise EmptyFileError
    kind = media_type(content_type)
    check_content(kind, content)
    stored = StoredFile(
        filename=clean_filename(filename),
        content_type=kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    session.add(stored)
    await session.flush()
    await _content_path(storage_dir, stored.id).write_bytes(content)
    await session.commit()
    return stored


async def get(session: AsyncSession, file_id: int) -> StoredFile:
    """The metadata of a file.

    Raises:
        FileNotFoundInStoreError: When there is none.
    """
    stored = await session.get(StoredFile, file_id)
    if stored is None:
        raise FileNotFoundInStoreError(file_id)
    return stored


async def read(
    session: AsyncSession, storage_dir: Path, file_id: int
) -> tuple[StoredFile, bytes]:
    """The metadata and content of a file.

    Raises:
        FileNotFoundInStoreError: When there is none.
    """
    stored = await get(session, file_id)
    return stored, await _content_path(storage_dir, file_id).read_bytes()


async def list_page(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[StoredFile], int]:
    """One page of files, oldest first, and how many there are."""
    total = await session.scalar(select(func.count()).select_from(StoredFile))
    rows = await session.scalars(
        select(StoredFile).order_by(StoredFile.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def delete(session: AsyncSession, storage_dir: Path, file_id: int) -> None:
    """Delete a file's metadata and content.

    Raises:
        FileNotFoundInStoreError: When there is none.
    """
    stored = await get(session, file_id)
    await session.delete(stored)
    await session.commit()
    await _content_path(storage_dir, file_id).unlink(missing_ok=True)
