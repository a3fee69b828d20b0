"""The provider protocol: one small interface every model speaks.

A *model* turns (system prompt, conversation, tools, parameters) into one reply. The
modes (``harness.agent``) only ever see this module's types, never an SDK's:

- :class:`Message` is one turn. ``user`` and ``assistant`` turns carry ``content``
  text; an assistant turn may also carry ``tool_calls``; a ``tool`` turn carries the
  result of one call (``tool_call_id`` names it, ``content`` is the result text,
  ``is_error`` marks a failed call). Consecutive ``tool`` turns answer the calls of
  the assistant turn before them, in any order.
- :class:`ModelReply` is what came back, with usage, cost and wall time, and the
  parameters actually sent (recorded in the transcript).
- Failures raise :class:`ModelError` (one line, with a machine ``reason``) after
  retries; :class:`BudgetExceededError` when a per-sample budget runs out
  (``harness.models.budget``). Both are scored failures, never dropped samples.

Specs accepted by :func:`harness.models.registry.load_model`:

- ``anthropic:<model>``: Messages API (options: ``api_key``, ``base_url``,
  ``timeout_s``, ``max_retries``, ``stream``, ``prompt_cache``, ``prices``).
- ``openai:<model>``: Chat Completions, any OpenAI-compatible server through
  ``base_url`` (same options, no ``prompt_cache``).
- ``reference``: offline, the task's gold project (option ``reference_dir``).
- ``replay:<run>``: offline, the replies stored in an earlier run's transcript (options
  ``transcript``, the sample's transcript file, which the run layer names, and ``epoch``).
- ``sim``: offline, each task's gold project or one of its mutants, drawn per arm
  (options ``reference_dir``, ``mutants``, ``task``, ``arm``, ``epoch``, ``settings``).

Every spec also takes ``cache`` (a :class:`harness.models.cache.ResponseCache`) and
``epoch``: an API model then answers a repeated request of the same epoch from disk
(offline models ignore the cache). Provider modules are imported lazily, so
``anthropic`` works without the ``openai`` SDK and the reverse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from harness.errors import HarnessError

if TYPE_CHECKING:
    pass

Role = Literal["user", "assistant", "tool"]
StopReason = Literal["end", "tool_use", "max_tokens", "error"]
ErrorReason = Literal[
    "rate_limited",
    "overloaded",
    "server_error",
    "timeout",
    "connection",
    "auth",
    "bad_request",
    "malformed",
    "truncated",
    "not_found",
]
BudgetReason = Literal["time", "tokens", "turns", "cost"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ToolSpec(_Frozen):
    """A tool the model may call: its name, what it does, its JSON-schema input."""

    name: str
    description: str
    input_schema: dict[str, Any]


class ToolCall(_Frozen):
    """One call the model asked for: ``id`` is echoed back by the tool result."""

    id: str
    name: str
    arguments: dict[str, Any]


class Message(_Frozen):
    """One turn of the conversation (see the module docstring for the roles)."""

    role: Role
    content: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None
    is_error: bool = False


class Usage(_Frozen):
    """Tokens of one call (or a sum of calls).

    ``input_tokens`` counts uncached input only; cache reads and writes are
    counted apart (as the Anthropic API reports them; OpenAI's cached prompt
    tokens are moved from input to ``cache_read_tokens``).
    """

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """All tokens the call consumed, cached or not."""
        return (
            self.input_tokens
            + self.output_tokens
            + self.cache_read_tokens
            + self.cache_write_tokens
        )

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
        )


class GenerationParams(_Frozen):
    """Sampling parameters, passed through to the provider and recorded.

    ``None`` leaves the provider's default. ``extra`` is merged into the request
    body as is (e.g. ``{"top_p": 0.9}`` or ``{"thinking": {...}}``).
    """

    temperature: float | None = None
    max_tokens: int = 16_000
    seed: int | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


class ModelReply(_Frozen):
    """One reply of a model.

    ``stop_reason``: ``end`` (finished), ``tool_use`` (wants ``tool_calls`` run),
    ``max_tokens`` (cut off: ``text`` is partial), ``error`` (refused or filtered;
    ``raw_stop_reason`` says which). ``cost_usd`` is ``None`` when the price table
    has no entry for ``raw_model``. ``cached`` marks a reply served from the
    response cache (its usage and cost are what the original call cost).
    """

    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    stop_reason: StopReason = "end"
    raw_stop_reason: str | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    wall_s: float = 0.0
    raw_model: str = ""
    attempts: int = 1
    cached: bool = False
    request: dict[str, Any] = Field(default_factory=dict)


@runtime_checkable
class Model(Protocol):
    """What every provider implements."""

    name: str
    """The spec it was loaded from, e.g. ``anthropic:claude-sonnet-5``."""

    @property
    def priced(self) -> bool:
        """Whether replies have a price (False: cost is reported as unknown, never 0)."""
        ...

    async def complete(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        params: GenerationParams,
    ) -> ModelReply:
        """Send one request and return the reply; raise ModelError on failure."""
        ...

    async def aclose(self) -> None:
        """Release connections (a no-op for offline models)."""
        ...


class ModelError(HarnessError):
    """A model call that failed for good (after retries), with a machine reason.

    ``str(error)`` is one line: ``<model>: <reason>: <detail>``.
    """

    def __init__(
        self,
        reason: ErrorReason,
        detail: str,
        *,
        model: str = "",
        status: int | None = None,
        retry_after_s: float | None = None,
        attempts: int = 1,
    ) -> None:
        self.reason: ErrorReason = reason
        self.detail = " ".join(detail.split())
        self.model = model
        self.status = status
        self.retry_after_s = retry_after_s
        self.attempts = attempts
        super().__init__(self._line())

    def _line(self) -> str:
        where = f"{self.model}: " if self.model else ""
        tries = f" (after {self.attempts} attempts)" if self.attempts > 1 else ""
        return f"{where}{self.reason}: {self.detail}{tries}"

    def with_context(
        self, *, model: str | None = None, attempts: int | None = None
    ) -> ModelError:
        """Return a copy naming the model and the number of attempts."""
        return ModelError(
            self.reason,
            self.detail,
            model=self.model if model is None else model,
            status=self.status,
            retry_after_s=self.retry_after_s,
            attempts=self.attempts if attempts is None else attempts,
        )

    @property
    def retryable(self) -> bool:
        """Whether waiting and sending the same request again may succeed."""
        return self.reason in {
            "rate_limited",
            "overloaded",
            "server_error",
            "timeout",
            "connection",
            "truncated",
        }


class BudgetExceededError(HarnessError):
    """A per-sample budget ran out; ``reason`` says which (time/tokens/turns/cost)."""

    def __init__(self, reason: BudgetReason, detail: str) -> None:
        self.reason: BudgetReason = reason
        self.detail = detail
        super().__init__(f"budget exhausted: {reason}: {detail}")


BudgetExceeded = BudgetExceededError
"""Short alias of :class:`BudgetExceededError`."""
