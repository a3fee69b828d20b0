"""Request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]


class ProjectCreate(BaseModel):
    """A new project, or a project's new name."""

    name: Name


class TaskCreate(BaseModel):
    """A new task."""

    title: Title


class TaskPublic(BaseModel):
    """A task as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    title: str
    done: bool
    created_at: datetime


class ProjectPublic(BaseModel):
    """A project with its tasks, oldest first."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: datetime
    updated_at: datetime
    tasks: list[TaskPublic]


class ProjectPage(BaseModel):
    """One page of projects."""

    items: list[ProjectPublic]
    total: int
    limit: int
    offset: int
