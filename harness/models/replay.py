"""``replay:<run>``: an offline model that answers with the replies of an earlier run.

Re-scoring a stored generation needs no model at all (``harness score <run>``); replay
is for re-running the *generation side* (a new parser, a changed agent loop's
bookkeeping, a report of turns) on exactly the replies a model gave, for free.

Where the replies come from: the sample's transcript,
``<results_dir>/<run>/transcripts/<task>/<variant>/<epoch>.jsonl`` (the layout of
DESIGN.md; ``transcript=PATH`` names a file directly). Each line is a JSON event; the
``start`` event names the model and the ``reply`` events, in order, are the replies.
:class:`StoredReply` is the minimal shape a ``reply`` event must have (other fields are
ignored), :class:`StoredGeneration` what replay reads from one transcript.

The n-th call gets the n-th stored reply, whatever the request (a replayed agent loop
sees the original model's tool calls, even if its tool results differ). Replies are
marked ``cached`` (no money is spent again); asking for more replies than were stored
raises :class:`~harness.models.base.ModelError` (reason ``not_found``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.errors import UsageError
from harness.models.base import ModelError, ModelReply, StopReason, ToolCall, Usage

if TYPE_CHECKING:
    from harness.models.base import GenerationParams, Message, ToolSpec

DEFAULT_RESULTS_DIR = Path("results")


class StoredReply(BaseModel):
    """One ``reply`` event of a transcript (the fields replay needs)."""

    model_config = ConfigDict(extra="ignore")

    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    stop_reason: StopReason = "end"
    raw_stop_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    wall_s: float = 0.0
    model: str = ""

    def to_reply(self) -> ModelReply:
        """The reply as the protocol's type, marked as not paid for again."""
        return ModelReply(
            text=self.text,
            tool_calls=self.tool_calls,
            stop_reason=self.stop_reason,
            raw_stop_reason=self.raw_stop_reason,
            usage=self.usage,
            cost_usd=self.cost_usd,
            wall_s=self.wall_s,
            raw_model=self.model,
            cached=True,
        )


class StoredGeneration(BaseModel):
    """What replay reads from one sample's transcript."""

    model_config = ConfigDict(extra="forbid")

    source: str
    """The transcript file."""
    model: str | None = None
    """The spec of the model that generated it (from the ``start`` event)."""
    replies: list[StoredReply]


def transcript_path(
    run: str,
    task: str,
    variant: str,
    epoch: int,
    results_dir: Path = DEFAULT_RESULTS_DIR,
) -> Path:
    """Where the transcript of one sample of ``run`` is stored."""
    return results_dir / run / "transcripts" / task / variant / f"{epoch}.jsonl"


def read_generation(path: Path) -> StoredGeneration:
    """Read the replies of one transcript (a truncated last line is skipped).

    Raises:
        ModelError: the file is missing or a ``reply`` event is malformed.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        detail = f"no stored generation at {path} ({exc.strerror}): check the run id"
        raise ModelError("not_found", detail, model="replay") from exc
    model: str | None = None
    replies: list[StoredReply] = []
    for number, line in enumerate(lines, 1):
        try:
            event: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError:
            continue
        kind = event.get("type")
        if kind == "start":
            model = event.get("model")
        elif kind == "reply":
            try:
                replies.append(StoredReply.model_validate(event))
            except ValidationError as exc:
                detail = f"{path}:{number}: a reply event is not valid: {exc.errors()[0]['msg']}"
                raise ModelError("malformed", detail, model="replay") from exc
    return StoredGeneration(source=str(path), model=model, replies=replies)


class ReplayModel:
    """The stored replies of one sample, served in order.

    Args:
        run: the run id (``results/<run>/``).
        task: the task id of the sample.
        variant: the variant label as used in the results layout.
        epoch: the epoch.
        results_dir: the folder holding runs.
        transcript: a transcript file to read instead of the layout's.
    """

    def __init__(
        self,
        run: str,
        *,
        task: str | None = None,
        variant: str | None = None,
        epoch: int = 0,
        results_dir: Path | str = DEFAULT_RESULTS_DIR,
        transcript: Path | str | None = None,
    ) -> None:
        self.name = f"replay:{run}"
        if transcript is not None:
            self.path = Path(transcript)
        elif task is None or variant is None:
            msg = f"model {self.name!r} needs the sample's task and variant to replay"
            raise UsageError(msg)
        else:
            self.path = transcript_path(run, task, variant, epoch, Path(results_dir))
        self._generation: StoredGeneration | None = None
        self.calls = 0

    @property
    def generation(self) -> StoredGeneration:
        """The stored generation (read on first use)."""
        if self._generation is None:
            self._generation = read_generation(self.path)
        return self._generation

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
        reply = replies[self.calls].to_reply()
        self.calls += 1
        return reply

    async def aclose(self) -> None:
        """Nothing to release."""


def create(run: str, **options: Any) -> ReplayModel:  # noqa: ANN401
    """Build ``replay:<run>`` (used by :func:`harness.models.base.load_model`)."""
    return ReplayModel(run, **options)
