"""Where the gateway forwards (:class:`Upstream`) and what it records of each call.

A call's log line (:class:`GatewayCall`) keeps the request body whole up to
:data:`LOG_REQUEST_BYTES`; past that, only the conversation's last turns that fit (the tool
results the transcript needs), with the body's size and SHA-256 always recorded. A refused
request is recorded by size and digest only, and a flood of refusals by count past
:data:`MAX_LOGGED_REFUSALS`, so no agent can make the harness write (or hold) its bytes.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from harness.gateway.allowlist import RULES
from harness.gateway.wire import Api
from harness.models.base import ModelReply, Usage

#: Request bodies logged whole up to this size; larger ones keep the conversation's tail.
LOG_REQUEST_BYTES = 1 << 20
#: Response bytes kept (for the log and to read the reply); past it, the head and a tail.
KEEP_RESPONSE_BYTES = 32 << 20
#: Refused calls logged one by one; the rest are counted.
MAX_LOGGED_REFUSALS = 200


class Upstream(BaseModel):
    """Where the gateway sends calls, for which model, and with which key.

    Attributes:
        api: ``anthropic`` (Messages) or ``responses`` (OpenAI Responses).
        base_url: The API's base URL (Anthropic: without ``/v1``; OpenAI: with it).
        model: The sample's model: a request naming any other is refused.
        api_key: The real key (never logged, never in the sandbox); None sends none.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    api: Api
    base_url: str
    model: str = Field(min_length=1)
    api_key: SecretStr | None = None

    def url(self, query: str) -> str:
        """The upstream URL of the API's endpoint (never built from the agent's request)."""
        base = self.base_url.rstrip("/")
        path = RULES[self.api].path
        if self.api == "responses":  # an OpenAI base URL carries the version: .../v1
            path = path.removeprefix("/v1")
        return f"{base}{path}" + (f"?{query}" if query else "")

    def auth(self) -> dict[str, str]:
        """The auth header the upstream expects."""
        if self.api_key is None:
            return {}
        key = self.api_key.get_secret_value()
        return (
            {"x-api-key": key}
            if self.api == "anthropic"
            else {"authorization": f"Bearer {key}"}
        )


class GatewayCall(BaseModel):
    """One call through the gateway (one line of ``gateway.jsonl``).

    Attributes:
        index: 1-based call number.
        t: Seconds since the gateway started, when the call arrived.
        wall_s: Seconds until the response ended.
        path: The target the agent called (with its query; cut at 300 characters).
        status: The HTTP status returned to the agent.
        model: The model that answered (as the API reported it), or the one asked for.
        refused: Why the gateway refused the call, if it did.
        error: Why the upstream could not be reached, or its error, if so.
        usage: Tokens of the reply.
        cost_usd: Its price (None when the model has none).
        reply: The reply as read back (text, tool calls, stop reason).
        request: The request body as the agent sent it (see ``request_trimmed``).
        request_bytes: The request body's size.
        request_sha256: The request body's SHA-256.
        request_trimmed: Why ``request`` is not the whole body, if it is not.
        dropped_headers: Headers (and ``anthropic-beta`` values) not forwarded.
        response: The response's SSE events, or its JSON body.
        response_trimmed: Why ``response`` is not the whole response, if it is not.
    """

    model_config = ConfigDict(extra="forbid")

    index: int
    t: float
    wall_s: float = 0.0
    path: str
    status: int
    model: str = ""
    refused: str | None = None
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)
    cost_usd: float | None = None
    reply: ModelReply | None = None
    request: dict[str, Any] = Field(default_factory=dict)
    request_bytes: int = 0
    request_sha256: str | None = None
    request_trimmed: str | None = None
    dropped_headers: list[str] = Field(default_factory=list)
    response: list[dict[str, Any]] = Field(default_factory=list)
    response_trimmed: str | None = None


def loggable(body: dict[str, Any], size: int) -> tuple[dict[str, Any], str | None]:
    """What of a forwarded body is logged, and why it is not all of it (None: it is).

    Args:
        body: The parsed body.
        size: Its size in bytes.

    Returns:
        The body itself up to :data:`LOG_REQUEST_BYTES`; else its small fields and the last
        turns of its conversation (``messages`` or ``input``) that fit, with the reason.
    """
    if size <= LOG_REQUEST_BYTES:
        return body, None
    key = "messages" if "messages" in body else "input"
    kept: dict[str, Any] = {
        k: v
        for k, v in body.items()
        if k not in (key, "system", "tools", "instructions")
        and len(json.dumps(v)) < 10_000
    }
    turns = body.get(key)
    tail: list[Any] = []
    room = LOG_REQUEST_BYTES // 2
    for turn in reversed(turns if isinstance(turns, list) else []):
        room -= len(json.dumps(turn))
        if room < 0:
            break
        tail.insert(0, turn)
    kept[key] = tail
    total = len(turns) if isinstance(turns, list) else 0
    note = (
        f"the body is {size} bytes, over {LOG_REQUEST_BYTES}: the last {len(tail)} of "
        f"{total} {key} entries are kept (system and tools left out)"
    )
    return kept, note


class ResponseBuffer:
    """The bytes of a response, kept up to :data:`KEEP_RESPONSE_BYTES`, then head and tail."""

    def __init__(self, cap: int = KEEP_RESPONSE_BYTES) -> None:
        """Keep at most ``cap`` bytes of head and 1 MiB of tail."""
        self.cap = cap
        self.size = 0
        self._head: list[bytes] = []
        self._tail: list[bytes] = []
        self._tail_size = 0

    def add(self, chunk: bytes) -> None:
        """Keep ``chunk`` (or count it, past the cap)."""
        self.size += len(chunk)
        if self.size <= self.cap:
            self._head.append(chunk)
            return
        self._tail.append(chunk)
        self._tail_size += len(chunk)
        while self._tail_size > (1 << 20) and len(self._tail) > 1:
            self._tail_size -= len(self._tail.pop(0))

    @property
    def trimmed(self) -> str | None:
        """Why the kept bytes are not the whole response (None: they are)."""
        if self.size <= self.cap:
            return None
        return f"the response is {self.size} bytes, over {self.cap}: its head and tail are kept"

    def data(self) -> bytes:
        """The kept bytes (head, then a blank line and the tail when trimmed)."""
        head = b"".join(self._head)
        return head if not self._tail else head + b"\n\n" + b"".join(self._tail)


__all__ = [
    "KEEP_RESPONSE_BYTES",
    "LOG_REQUEST_BYTES",
    "MAX_LOGGED_REFUSALS",
    "GatewayCall",
    "ResponseBuffer",
    "Upstream",
    "loggable",
]
