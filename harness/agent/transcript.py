"""A generation's transcript: one JSON object per line, written as events happen.

Every event has ``type``, ``t`` (seconds since the generation started) and ``at`` (UTC
time). Types: ``start`` (mode, model, system prompt, tools, parameters), ``user`` (a user
turn), ``reply`` (a model reply: text, tool calls, stop reason, usage, cost), ``tool``
(a tool's result), ``trigger`` (the model opened a skill file), ``files`` (files written by
a one-shot reply), ``problem`` (a parse problem) and ``end`` (stop reason and summary).
The file is flushed after each line, so an interrupted generation keeps what happened.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType


class Transcript:
    """Appends events to a JSONL file (or only keeps them in memory when no path is given).

    Attributes:
        path: The file, or None.
        events: Every event written, in order.
    """

    def __init__(self, path: Path | None) -> None:
        """Open the transcript.

        Args:
            path: The JSONL file to create (its folder must exist), or None.
        """
        self.path = path
        self.events: list[dict[str, Any]] = []
        self.started = time.monotonic()
        self._stream = path.open("w", encoding="utf-8") if path is not None else None

    def elapsed(self) -> float:
        """Seconds since the transcript was opened."""
        return round(time.monotonic() - self.started, 3)

    def write(self, kind: str, /, **fields: Any) -> dict[str, Any]:  # noqa: ANN401
        """Append one event.

        Args:
            kind: The event's type.
            **fields: Its content (JSON-serialisable).

        Returns:
            The event as written.
        """
        event = {
            "type": kind,
            "t": self.elapsed(),
            "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
            **fields,
        }
        self.events.append(event)
        if self._stream is not None:
            self._stream.write(
                json.dumps(event, ensure_ascii=False, default=str) + "\n"
            )
            self._stream.flush()
        return event

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


def read_transcript(path: Path) -> list[dict[str, Any]]:
    """Read a transcript back (a truncated last line is skipped)."""
    events: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events


__all__ = ["Transcript", "read_transcript"]
