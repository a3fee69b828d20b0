"""Eval tasks: the format (``task.toml``), probes, suites, loading and validation."""

from harness.tasks.config import (
    TASK_SCHEMA_VERSION,
    AcceptanceConfig,
    Limits,
    StarterConfig,
    TaskConfig,
)
from harness.tasks.loader import (
    MIN_MUTANTS,
    Task,
    TaskError,
    get_task,
    load_task,
    load_tasks,
    read_config,
    task_ids,
    tasks_dir,
)
from harness.tasks.probes import Probe, ProbeCatalog, ProbeError, load_probes
from harness.tasks.suites import load_suites, resolve_suite, suite_ids, suite_tasks

__all__ = [
    "MIN_MUTANTS",
    "TASK_SCHEMA_VERSION",
    "AcceptanceConfig",
    "Limits",
    "Probe",
    "ProbeCatalog",
    "ProbeError",
    "StarterConfig",
    "Task",
    "TaskConfig",
    "TaskError",
    "get_task",
    "load_probes",
    "load_suites",
    "load_task",
    "load_tasks",
    "read_config",
    "resolve_suite",
    "suite_ids",
    "suite_tasks",
    "task_ids",
    "tasks_dir",
]
