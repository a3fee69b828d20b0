"""Eval tasks: the format (``task.toml``), loading, and validation against the scorer."""

from harness.tasks.loader import (
    MIN_MUTANTS,
    Task,
    TaskError,
    get_task,
    load_suites,
    load_task,
    load_tasks,
    read_config,
    suite_tasks,
    task_ids,
    tasks_dir,
)
from harness.tasks.models import (
    TASK_SCHEMA_VERSION,
    AcceptanceConfig,
    Limits,
    StarterConfig,
    TaskConfig,
)

__all__ = [
    "MIN_MUTANTS",
    "TASK_SCHEMA_VERSION",
    "AcceptanceConfig",
    "Limits",
    "StarterConfig",
    "Task",
    "TaskConfig",
    "TaskError",
    "get_task",
    "load_suites",
    "load_task",
    "load_tasks",
    "read_config",
    "suite_tasks",
    "task_ids",
    "tasks_dir",
]
