"""Writing and reading a transcript: typed events, one JSON object per line.

The file is flushed after each line, so an interrupted generation keeps everything that
happened up to the interruption; a truncated last line is skipped when read back.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Self

from pydantic import ValidationError

from harness.errors import first_error
from harness.transcript.events import BaseEvent, TranscriptEvent, parse_event

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType


class Transcript:
    """Appends events to a JSONL file (or only keeps them in memory when no path is given).

    Attributes:
        path: The file, or None.
        events: Every event written, in order (with ``t`` and ``at`` filled in).
    """

    def __init__(self, path: Path | None) -> None:
        """Open the transcript.

        Args:
            path: The JSONL file to create (its folder is created), or None.
        """
        self.path = path
        self.events: list[BaseEvent] = []
        self.started = time.monotonic()
        self.started_at = datetime.now(UTC)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._stream = path.open("w", encoding="utf-8") if path is not None else None

    def elapsed(self) -> float:
        """Seconds since the transcript was opened."""
        return round(time.monotonic() - self.started, 3)

    def write[E: BaseEvent](self, event: E, *, t: float | None = None) -> E:
        """Append one event, stamping its time.

        Args:
            event: The event (its ``t`` and ``at`` are replaced).
            t: When it happened, in seconds since the transcript opened, for an event
                written after the fact (a coding agent's calls, read back from the
                gateway's log); default: now.

        Returns:
            The event as written.
        """
        when = self.elapsed() if t is None else round(t, 3)
        stamped = event.model_copy(
            update={
                "t": when,
                "at": (self.started_at + timedelta(seconds=when)).isoformat(
                    timespec="milliseconds"
                ),
            }
        )
        self.events.append(stamped)
        if self._stream is not None:
            self._stream.write(stamped.model_dump_json() + "\n")
            self._stream.flush()
        return stamped

    def close(self) -> None:
        """Close the file."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class TranscriptReadError(ValueError):
    """A line of a transcript is JSON but not a valid event."""


def read_transcript(path: Path) -> list[TranscriptEvent]:
    """Read a transcript back (a truncated last line is skipped).

    Raises:
        TranscriptReadError: When a complete line is not a valid event (names the line).
    """
    events: list[TranscriptEvent] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            if number == len(lines):
                continue
            msg = f"{path}:{number}: not JSON"
            raise TranscriptReadError(msg) from None
        try:
            events.append(parse_event(data))
        except ValidationError as error:
            where, why = first_error(error)
            msg = f"{path}:{number}: not a transcript event ({where}: {why})"
            raise TranscriptReadError(msg) from None
    return events


__all__ = ["Transcript", "TranscriptReadError", "read_transcript"]
