"""``harness plan`` for a run about to start: resolve it as ``harness eval`` would, forecast it.

Nothing is written and no model is called: the arms and tasks are resolved with the same
functions as :func:`harness.run.prepare.start_run`, and the measured figures come from a
stored run: the one named, else the most recent run under the results folder that scored
any of these tasks (named in the output, so the choice is never silent).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from harness.run.forecast import RunForecast, forecast
from harness.run.layout import RunLayout
from harness.run.prepare import resolve_arms, resolve_tasks
from harness.run.store import RunStore
from harness.run.usage import StoredUsage, stored_usage

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from harness.models.pricing import PriceTable
    from harness.run.config import EvalConfig


def latest_run(results_dir: Path, task_ids: Iterable[str]) -> Path | None:
    """The most recently started run under ``results_dir`` with a scored sample of a task.

    Runs are ordered by their manifest's ``created_at``; a folder whose manifest cannot
    be read is skipped.
    """
    wanted = set(task_ids)
    found: list[tuple[str, Path]] = []
    if not results_dir.is_dir():
        return None
    for manifest in results_dir.glob("*/manifest.json"):
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            tasks = {entry["id"] for entry in data.get("tasks", [])}
            created = str(data.get("created_at", ""))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        folder = manifest.parent
        scored = any((folder / "samples" / task).is_dir() for task in wanted & tasks)
        if scored:
            found.append((created, folder))
    return max(found)[1] if found else None


def read_stored(folder: Path) -> StoredUsage:
    """A stored run's measured token use and times.

    Raises:
        UsageError: When the folder holds no readable run.
    """
    store = RunStore(RunLayout(folder))
    return stored_usage(store.manifest(), store.samples())


def plan_cost(
    config: EvalConfig,
    prices: PriceTable,
    stored: Path | None = None,
) -> tuple[RunForecast, Path | None]:
    """Forecast the run ``config`` describes.

    Args:
        config: The run as ``harness eval`` would run it.
        prices: The price table.
        stored: A stored run's folder to measure from; ``None`` picks the latest run
            under ``config.results_dir`` that has any of the tasks (if one exists).

    Returns:
        The forecast and the stored run used (``None`` when none).

    Raises:
        UsageError: For a variant or task that does not resolve, or an unreadable run.
    """
    arms = resolve_arms(config)
    tasks = resolve_tasks(config.tasks)
    folder = stored or latest_run(config.results_dir, [task.id for task in tasks])
    usage = read_stored(folder) if folder is not None else None
    return forecast(config, arms, tasks, prices, usage), folder


__all__ = ["latest_run", "plan_cost", "read_stored"]
