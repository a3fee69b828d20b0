"""Errors of the projects domain, each with the HTTP status it maps to."""

from fastapi import status


class ProjectsError(Exception):
    """Base of the domain's errors; ``status_code`` is what the API answers."""

    status_code = status.HTTP_400_BAD_REQUEST


class ProjectNotFoundError(ProjectsError):
    """No project has the requested id."""

    status_code = status.HTTP_404_NOT_FOUND

    def __init__(self, project_id: int) -> None:
        """Name the missing project."""
        super().__init__(f"project {project_id} not found")


class ProjectNameTakenError(ProjectsError):
    """Another project has this name."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, name: str) -> None:
        """Name the name."""
        super().__init__(f"a project named {name!r} already exists")


class TaskTitleTakenError(ProjectsError):
    """The project has a task with this title already."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, title: str) -> None:
        """Name the title."""
        super().__init__(f"this project already has a task titled {title!r}")
