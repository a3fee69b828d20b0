"""A live progress display for a run (rich): done, running, failed, cost so far, ETA."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from rich.console import Console

    from harness.run.records import SampleRecord
    from harness.run.spec import SampleSpec


class RunProgress:
    """Counts samples as they move and shows it; implements the scheduler's observer.

    Args:
        console: Where to draw.
        total: Samples to work on in this session.
        scoring: Whether samples are scored after generation.
        workers: Counts the executor's workers (a cluster's), shown when given.
    """

    def __init__(
        self,
        console: Console,
        total: int,
        *,
        scoring: bool,
        workers: Callable[[], int | None] | None = None,
    ) -> None:
        self.total = total
        self.workers = workers
        self.scoring = scoring
        self.running = 0
        self.generated_count = 0
        self.done = 0
        self.model_failures = 0
        self.infra_failures = 0
        self.cost = 0.0
        self.unpriced = 0
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task = self._progress.add_task("samples", total=total, status="")

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._refresh()
        self._progress.stop()

    def _refresh(self) -> None:
        cost = f"${self.cost:.4f}" + (
            f" (+{self.unpriced} unpriced)" if self.unpriced else ""
        )
        count = self.workers() if self.workers is not None else None
        status = (
            f"running {self.running}  failed {self.model_failures} model"
            f" / {self.infra_failures} infra  cost {cost}"
            + (f"  workers {count}" if count is not None else "")
        )
        self._progress.update(self._task, completed=self.done, status=status)

    def started(self, spec: SampleSpec) -> None:
        """A sample began generating."""
        del spec
        self.running += 1
        self._refresh()

    def generated(self, record: SampleRecord) -> None:
        """A sample finished generating."""
        self.running -= 1
        self.generated_count += 1
        generation = record.generation
        if generation is not None:
            if generation.cost_usd is None:
                self.unpriced += 1
            else:
                self.cost += generation.cost_usd
        if not self.scoring or record.infra_failed:
            self._finish(record)
        self._refresh()

    def scored(self, record: SampleRecord) -> None:
        """A sample finished scoring."""
        self._finish(record)
        self._refresh()

    def _finish(self, record: SampleRecord) -> None:
        self.done += 1
        if record.infra_failed:
            self.infra_failures += 1
        elif record.failure is not None:
            self.model_failures += 1


__all__ = ["RunProgress"]
