"""Response bodies."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class FilePublic(BaseModel):
    """A file's metadata as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class FilePage(BaseModel):
    """One page of files."""

    items: list[FilePublic]
    total: int
    limit: int
    offset: int
