"""Project and task queries and writes; the session dependency commits."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.projects.exceptions import ProjectNameTakenError, ProjectNotFoundError
from app.projects.models import Project, Task


async def create_project(session: AsyncSession, name: str) -> Project:
    """Add a project, with no tasks yet.

    Raises:
        ProjectNameTakenError: When the name is taken.
    """
    project = Project(name=name, tasks=[])
    session.add(project)
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        raise ProjectNameTakenError(name) from None
    return project


async def get_project(session: AsyncSession, project_id: int) -> Project:
    """The project with its tasks.

    Raises:
        ProjectNotFoundError: When there is none.
    """
    project = await session.scalar(select(Project).where(Project.id == project_id))
    if project is None:
        raise ProjectNotFoundError(project_id)
    return project


async def list_projects(
    session: AsyncSession, *, limit: int, offset: int
) -> tuple[list[Project], int]:
    """One page of projects with their tasks, oldest first, and the total."""
    total = await session.scalar(select(func.count()).select_from(Project))
    rows = await session.scalars(
        select(Project).order_by(Project.id).limit(limit).offset(offset)
    )
    return list(rows), total or 0


async def rename_project(session: AsyncSession, project_id: int, name: str) -> Project:
    """Give a project a new name.

    Raises:
        ProjectNotFoundError: When there is no such project.
    """
    project = await session.scalar(
        select(Project)
        .where(Project.id == project_id)
        .options(selectinload(Project.tasks))
    )
    if project is None:
        raise ProjectNotFoundError(project_id)
    project.name = name
    return project


async def add_task(session: AsyncSession, project_id: int, title: str) -> Task:
    """Add a task to a project.

    Raises:
        ProjectNotFoundError: When there is no such project.
    """
    if await session.get(Project, project_id) is None:
        raise ProjectNotFoundError(project_id)
    task = Task(project_id=project_id, title=title)
    session.add(task)
    await session.commit()
    return task
