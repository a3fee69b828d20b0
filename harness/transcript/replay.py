"""``replay:<run>``: an offline model that answers with the replies of an earlier run.

Re-scoring a stored generation needs no model at all (``harness rescore RUN``); replay
is for re-running the *generation side* (a new parser, a changed agent loop's
bookkeeping, a report of turns) on exactly the replies a model gave, for free.

Where the replies come from: the sample's transcript in the earlier run,
``<results_dir>/<run>/transcripts/<task>/<arm>/<epoch>.jsonl``, exactly what
``harness eval`` and ``harness generate`` write; the run layer
(:class:`~harness.run.layout.RunLayout`) names the file and passes it as ``transcript``.
The ``start`` event names the model and the ``reply`` events, in order, are the
replies (:class:`StoredGeneration`).

The n-th call gets the n-th stored reply, whatever the request (a replayed agent loop
sees the original model's tool calls, even if its tool results differ). Replies are
marked ``cached`` (no money is spent again); asking for more replies than were stored
raises :class:`~harness.models.base.ModelError` (reason ``not_found``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from harness.errors import UsageError
from harness.models.base import ModelError, ModelReply
from harness.transcript import (
    ReplyEvent,
    StartEvent,
    TranscriptReadError,
    read_transcript,
)

if TYPE_CHECKING:
    from harness.models.base import GenerationParams, Message, ToolSpec


class StoredGeneration(BaseModel):
    """What replay reads from one sample's transcript."""

    model_config = ConfigDict(extra="forbid")

    source: str
    """The transcript file."""
    model: str | None = None
    """The spec of the model that generated it (from the ``start`` event)."""
    replies: list[ModelReply]


def read_generation(path: Path) -> StoredGeneration:
    """Read the replies of one transcript (a truncated last line is skipped).

    Raises:
        ModelError: The file is missing or holds a malformed event.
    """
    try:
        events = read_transcript(path)
    except OSError as exc:
        detail = f"no stored generation at {path} ({exc.strerror}): check the run id"
        raise ModelError("not_found", detail, model="replay") from exc
    except TranscriptReadError as exc:
        raise ModelError("malformed", str(exc), model="replay") from exc
    model = next((e.model for e in events if isinstance(e, StartEvent)), None)
    replies = [
        e.reply.model_copy(update={"cached": True})
        for e in events
        if isinstance(e, ReplyEvent)
    ]
    return StoredGeneration(source=str(path), model=model, replies=replies)


class ReplayModel:
    """The stored replies of one sample, served in order.

    Args:
        run: the run id (``results/<run>/``).
        transcript: the sample's transcript in that run (the run layer names it:
            :meth:`harness.run.layout.RunLayout.transcript_of`).
        epoch: the epoch (the transcript already belongs to one).
    """

    def __init__(
        self,
        run: str,
        *,
        transcript: Path | str | None = None,
        epoch: int = 0,
    ) -> None:
        self.name = f"replay:{run}"
        del epoch
        if transcript is None:
            msg = f"model {self.name!r} needs the sample's transcript to replay"
            raise UsageError(msg)
        self.path = Path(transcript)
        self._generation: StoredGeneration | None = None
        self.calls = 0

    @property
    def generation(self) -> StoredGeneration:
        """The stored generation (read on first use)."""
        if self._generation is None:
            self._generation = read_generation(self.path)
        return self._generation

    @property
    def priced(self) -> bool:
        """Whether every stored reply had a price."""
        return all(r.cost_usd is not None for r in self.generation.replies)

    async def complete(
        self,
        system: str,  # noqa: ARG002 - the protocol's signature
        messages: list[Message],  # noqa: ARG002
        tools: list[ToolSpec],  # noqa: ARG002
        params: GenerationParams,  # noqa: ARG002
    ) -> ModelReply:
        """The next stored reply.

        Raises:
            ModelError: no stored generation, or every stored reply was used.
        """
        replies = self.generation.replies
        if self.calls >= len(replies):
            detail = (
                f"{self.path} holds {len(replies)} replies and call {self.calls + 1} "
                "asked for another"
            )
            raise ModelError("not_found", detail, model=self.name)
        reply = replies[self.calls]
        self.calls += 1
        return reply

    async def aclose(self) -> None:
        """Nothing to release."""


def create(run: str, **options: Any) -> ReplayModel:  # noqa: ANN401
    """Build ``replay:<run>`` (used by :func:`harness.models.registry.load_model`)."""
    return ReplayModel(run, **options)
