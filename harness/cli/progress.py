"""A run's live progress (rich), drawn for 80 columns first.

Two or more lines, never a number cut: the bar line (done/total, percentage, elapsed, ETA)
and the state, packed between whole phrases: samples generating, samples scoring (and
waiting for a scoring slot), failures (model / infrastructure), cost so far.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Self

from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType

    from rich.console import Console, ConsoleOptions, RenderResult

    from harness.run.records import SampleRecord
    from harness.run.spec import SampleSpec

_SEPARATOR = " · "


class RunCounts:
    """Counts samples as they move; implements the scheduler's observer.

    Scoring runs in ``slots`` slots: of the samples generated and not yet scored, that many
    are being scored and the rest wait for a slot.

    Args:
        total: Samples to work on in this session.
        scoring: Whether samples are scored after generation.
        to_score: Of ``total``, samples already generated that only need scoring.
        slots: Samples scored at once.
        clock: Seconds, monotonic (for tests).
        workers: Counts the executor's workers (a cluster's CPUs), shown when given.
    """

    def __init__(
        self,
        total: int,
        *,
        scoring: bool,
        to_score: int = 0,
        slots: int = 1,
        clock: Callable[[], float] = time.monotonic,
        workers: Callable[[], int | None] | None = None,
    ) -> None:
        self.total = total
        self.workers = workers
        self.scoring = scoring
        self.slots = max(1, slots)
        self.generating = 0
        self.unscored = to_score if scoring else 0
        self.done = 0
        self.model_failures = 0
        self.infra_failures = 0
        self.cost = 0.0
        self.unpriced = 0
        self._clock = clock
        self.started_at = clock()

    @property
    def scoring_now(self) -> int:
        """Samples being scored now."""
        return min(self.unscored, self.slots)

    @property
    def waiting(self) -> int:
        """Generated samples waiting for a scoring slot."""
        return self.unscored - self.scoring_now

    @property
    def in_flight(self) -> int:
        """Samples started and not finished (generating, scoring or waiting to)."""
        return self.generating + self.unscored

    @property
    def elapsed(self) -> float:
        """Seconds since the counts began."""
        return self._clock() - self.started_at

    def eta(self) -> float | None:
        """Seconds left at the pace so far; None before the first sample is done."""
        if self.done == 0 or self.done >= self.total:
            return None if self.done == 0 else 0.0
        return self.elapsed / self.done * (self.total - self.done)

    def started(self, spec: SampleSpec) -> None:
        """A sample began generating."""
        del spec
        self.generating += 1

    def generated(self, record: SampleRecord) -> None:
        """A sample finished generating."""
        self.generating -= 1
        generation = record.generation
        if generation is not None:
            if generation.cost_usd is None:
                self.unpriced += 1
            else:
                self.cost += generation.cost_usd
        if self.scoring and generation is not None and not record.infra_failed:
            self.unscored += 1
        else:
            self._finish(record)

    def scored(self, record: SampleRecord) -> None:
        """A sample finished scoring."""
        self.unscored = max(0, self.unscored - 1)
        self._finish(record)

    def _finish(self, record: SampleRecord) -> None:
        self.done += 1
        if record.infra_failed:
            self.infra_failures += 1
        elif record.failure is not None:
            self.model_failures += 1


def clock_text(seconds: float | None) -> str:
    """``m:ss`` or ``h:mm:ss``; ``-:--`` when unknown."""
    if seconds is None:
        return "-:--"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def state_phrases(counts: RunCounts) -> list[str]:
    """The state as whole phrases (none is ever split across lines)."""
    phrases = [f"generating {counts.generating}"]
    if counts.scoring:
        waiting = f" (+{counts.waiting} waiting)" if counts.waiting else ""
        phrases.append(f"scoring {counts.scoring_now}{waiting}")
    phrases.append(
        f"failed {counts.model_failures} model / {counts.infra_failures} infra"
    )
    cost = f"cost ${counts.cost:.4f}"
    if counts.unpriced:
        cost += f" (+{counts.unpriced} unpriced)"
    phrases.append(cost)
    count = counts.workers() if counts.workers is not None else None
    if count is not None:
        phrases.append(f"workers {count}")
    return phrases


def pack(phrases: list[str], width: int) -> list[str]:
    """Phrases joined with `` · `` into lines of at most ``width`` characters."""
    lines: list[str] = []
    for phrase in phrases:
        if lines and len(lines[-1]) + len(_SEPARATOR) + len(phrase) <= width:
            lines[-1] += _SEPARATOR + phrase
        else:
            lines.append(phrase)
    return lines


class RunProgress:
    """A run's :class:`RunCounts` drawn live on a console (a context manager).

    Args:
        console: Where to draw.
        counts: The counts to show (the run's observer).
    """

    def __init__(self, console: Console, counts: RunCounts) -> None:
        self.counts = counts
        self._live = Live(self, console=console, refresh_per_second=4, transient=False)

    def __enter__(self) -> Self:
        self._live.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._live.stop()
        if not self._live.console.is_terminal:
            self._live.console.line()  # rich ends the last frame with a newline only on a tty

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> RenderResult:
        """The bar line, then the state packed into lines that fit the width."""
        counts = self.counts
        width = options.max_width
        fraction = counts.done / counts.total if counts.total else 1.0
        left = f"samples {counts.done}/{counts.total}"
        right = (
            f"{fraction:4.0%}  {clock_text(counts.elapsed)}  "
            f"eta {clock_text(counts.eta())}"
        )
        bar_width = width - len(left) - len(right) - 2
        if bar_width >= 10:
            line = Table.grid(padding=(0, 1))
            line.add_row(
                Text(left, style="bold"),
                ProgressBar(
                    total=max(counts.total, 1), completed=counts.done, width=bar_width
                ),
                Text(right),
            )
            yield line
        else:
            yield Text(f"{left}  {right}", style="bold")
        for text in pack(state_phrases(counts), width):
            yield Text(text)


__all__ = ["RunCounts", "RunProgress", "clock_text", "pack", "state_phrases"]
