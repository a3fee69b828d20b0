"""HTTP routes of the files domain."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, UploadFile, status

from app.config import Settings, get_settings
from app.database import SessionDep
from app.files import service
from app.files.schemas import FilePage, FilePublic

router = APIRouter(prefix="/files", tags=["files"])
SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.post("", status_code=status.HTTP_201_CREATED)
async def upload(
    file: UploadFile, session: SessionDep, settings: SettingsDep
) -> FilePublic:
    """Check and keep an uploaded file."""
    limit = settings.max_upload_bytes
    content = await file.read(limit + 1)
    stored = await service.store(
        session,
        settings.storage_dir,
        filename=file.filename,
        content_type=file.content_type,
        content=content,
        limit=limit,
    )
    return FilePublic.model_validate(stored)


@router.get("")
async def list_files(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> FilePage:
    """One page of files, oldest first."""
    rows, total = await service.list_page(session, limit=limit, offset=offset)
    items = [FilePublic.model_validate(row) for row in rows]
    return FilePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{file_id}")
async def get_file(file_id: int, session: SessionDep) -> FilePublic:
    """A file's metadata."""
    return FilePublic.model_validate(await service.get(session, file_id))


@router.get("/{file_id}/content")
async def download(
    file_id: int, session: SessionDep, settings: SettingsDep
) -> Response:
    """A file's content, as an attachment."""
    stored, content = await service.read(session, settings.storage_dir, file_id)
    return Response(
        content,
        media_type=stored.content_type,
        headers={"Content-Disposition": f'attachment; filename="{stored.filename}"'},
    )


@router.delete("/{file_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_file(file_id: int, session: SessionDep, settings: SettingsDep) -> None:
    """Delete a file."""
    await service.delete(session, settings.storage_dir, file_id)
