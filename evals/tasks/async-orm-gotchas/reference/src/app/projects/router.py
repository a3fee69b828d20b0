"""HTTP routes of the projects domain."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from app.database import SessionDep
from app.projects import service
from app.projects.schemas import (
    ProjectCreate,
    ProjectPage,
    ProjectPublic,
    TaskCreate,
    TaskPublic,
)

router = APIRouter(prefix="/projects", tags=["projects"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_project(data: ProjectCreate, session: SessionDep) -> ProjectPublic:
    """Add a project."""
    return ProjectPublic.model_validate(
        await service.create_project(session, data.name)
    )


@router.get("")
async def list_projects(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ProjectPage:
    """One page of projects with their tasks, oldest first."""
    rows, total = await service.list_projects(session, limit=limit, offset=offset)
    items = [ProjectPublic.model_validate(row) for row in rows]
    return ProjectPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{project_id}")
async def get_project(project_id: int, session: SessionDep) -> ProjectPublic:
    """One project with its tasks."""
    return ProjectPublic.model_validate(await service.get_project(session, project_id))


@router.patch("/{project_id}")
async def rename_project(
    project_id: int, data: ProjectCreate, session: SessionDep
) -> ProjectPublic:
    """Rename a project."""
    project = await service.rename_project(session, project_id, data.name)
    return ProjectPublic.model_validate(project)


@router.post("/{project_id}/tasks", status_code=status.HTTP_201_CREATED)
async def add_task(
    project_id: int, data: TaskCreate, session: SessionDep
) -> TaskPublic:
    """Add a task to a project."""
    return TaskPublic.model_validate(
        await service.add_task(session, project_id, data.title)
    )
