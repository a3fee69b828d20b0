"""A fake LLM server on loopback speaking the Anthropic Messages, OpenAI Chat and Responses APIs.

The real SDKs (anthropic 2.x, openai 3.x) use their own HTTP stack, which respx does
not intercept, so the fake is a real HTTP server: a Starlette app served by uvicorn on
``127.0.0.1:<free port>`` in a daemon thread. It serves

- ``POST /v1/messages``: Anthropic Messages, JSON or SSE (``"stream": true``);
- ``POST /v1/chat/completions``: OpenAI Chat Completions, JSON or SSE chunks
  (with the usage chunk when ``stream_options.include_usage`` is set);
- ``POST /v1/responses``: the OpenAI Responses API as Codex CLI speaks it, JSON or SSE
  (``response.created``, ``response.output_item.added``/``done``, text deltas,
  ``response.completed`` with usage); ``FakeReply.custom_calls`` become freeform
  ``custom_tool_call`` items (Codex's ``apply_patch``).

Claude Code's ``/v1/messages?beta=true`` is the same route (the query is ignored), and its
``role: "system"`` entries in ``messages`` are recorded like any other.

Each test scripts it: ``fake.script(FakeReply(...), FakeError(429, retry_after="0"),
...)`` queues what the next requests get, in order, whatever their path; an empty
queue answers ``Echo: <last user text>``. ``fake.requests`` records every request
(path, lower-cased headers, JSON body) for assertions. Usage::

    with running_fake_llm() as fake:
        fake.script(FakeReply(text="hi"))
        client = anthropic.AsyncAnthropic(base_url=fake.anthropic_base_url, api_key="k")
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

Stop = Literal["end", "tool_use", "max_tokens", "refusal"]

_ANTHROPIC_STOP = {
    "end": "end_turn",
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
    "refusal": "refusal",
}
_OPENAI_STOP = {
    "end": "stop",
    "tool_use": "tool_calls",
    "max_tokens": "length",
    "refusal": "content_filter",
}
_ANTHROPIC_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


@dataclass
class FakeReply:
    """A successful reply, rendered in the protocol of whichever endpoint is hit.

    ``tool_calls`` are ``(name, arguments)``; arguments given as a string are sent
    verbatim (to fake invalid JSON). ``stop`` defaults to ``tool_use`` when there are
    tool calls, else ``end``. ``truncate_after`` ends an SSE stream after that many
    events (no final event), or cuts a JSON body to that many bytes.
    """

    text: str = ""
    tool_calls: list[tuple[str, dict[str, Any] | str]] = field(default_factory=list)
    stop: Stop | None = None
    input_tokens: int = 11
    output_tokens: int = 7
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    model: str | None = None
    delay_s: float = 0.0
    chunk_delay_s: float = 0.0
    truncate_after: int | None = None
    custom_calls: list[tuple[str, str]] = field(default_factory=list)

    @property
    def stop_reason(self) -> Stop:
        """The stop reason to send."""
        if self.stop is not None:
            return self.stop
        return "tool_use" if self.tool_calls or self.custom_calls else "end"


@dataclass
class FakeError:
    """An HTTP error in the vendor's error format, optionally with retry-after headers."""

    status: int
    message: str = "scripted error"
    retry_after: str | None = None
    retry_after_ms: str | None = None
    error_type: str | None = None
    delay_s: float = 0.0


@dataclass
class FakeRaw:
    """A response sent byte for byte (a malformed body, a wrong content type)."""

    body: str
    status: int = 200
    content_type: str = "application/json"


Scripted = FakeReply | FakeError | FakeRaw


@dataclass
class RecordedRequest:
    """One request the fake received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeLLM:
    """The scripted behaviour and the request log shared by the app and the test."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Scripted] = []
        self.requests: list[RecordedRequest] = []
        self._ids = itertools.count(1)
        self.url = ""
        #: Answers a request when the queue is empty (a scripted *policy*, for runs whose
        #: requests arrive in no fixed order); None answers ``Echo: ...``.
        self.responder: Callable[[RecordedRequest], Scripted] | None = None
        #: A provider's concurrency limit: a request arriving while this many are in
        #: flight (from arrival to the response's last byte) gets a 429. None: no limit.
        self.concurrency_limit: int | None = None
        self.in_flight = 0
        self.peak_in_flight = 0
        self.over_limit = 0

    @property
    def anthropic_base_url(self) -> str:
        """Base URL for the anthropic SDK (it appends ``/v1/messages``)."""
        return self.url

    @property
    def openai_base_url(self) -> str:
        """Base URL for the openai SDK (it appends ``/chat/completions``)."""
        return f"{self.url}/v1"

    def script(self, *items: Scripted) -> None:
        """Queue responses for the next requests, in order."""
        with self._lock:
            self._queue.extend(items)

    def reset(self) -> None:
        """Forget the queue, the request log and the concurrency counts."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.responder = None
            self.concurrency_limit = None
            self.in_flight = self.peak_in_flight = self.over_limit = 0

    @property
    def pending(self) -> int:
        """Scripted responses not yet served."""
        with self._lock:
            return len(self._queue)

    def _next(self, record: RecordedRequest) -> Scripted | None:
        with self._lock:
            self.requests.append(record)
            return self._queue.pop(0) if self._queue else None

    def next_id(self, prefix: str) -> str:
        """A fresh id like ``toolu_fake_3``."""
        return f"{prefix}_fake_{next(self._ids)}"

    # -- the app ---------------------------------------------------------------------

    def app(self) -> Callable[..., Any]:
        """The Starlette app serving both protocols from this script, counted."""
        inner = Starlette(
            routes=[
                Route("/v1/messages", self._anthropic, methods=["POST"]),
                Route("/v1/chat/completions", self._openai, methods=["POST"]),
                Route("/v1/responses", self._responses, methods=["POST"]),
            ]
        )

        async def counted(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await inner(scope, receive, send)
                return
            with self._lock:
                over = (
                    self.concurrency_limit is not None
                    and self.in_flight >= self.concurrency_limit
                )
                self.in_flight += 1
                self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
                self.over_limit += over
            try:
                if over:
                    limited = JSONResponse(
                        {"type": "error", "error": {"type": "rate_limit_error"}},
                        status_code=429,
                        headers={"retry-after": "1"},
                    )
                    await limited(scope, receive, send)
                else:
                    await inner(scope, receive, send)
            finally:
                with self._lock:
                    self.in_flight -= 1

        return counted

    async def _take(self, request: Request) -> tuple[dict[str, Any], Scripted]:
        raw = await request.body()
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {"_unparsed": raw.decode(errors="replace")}
        record = RecordedRequest(
            path=request.url.path,
            headers={k.lower(): v for k, v in request.headers.items()},
            body=body,
        )
        item = self._next(record)
        if item is None and self.responder is not None:
            item = self.responder(record)
        if item is None:
            item = FakeReply(text=f"Echo: {_last_user_text(body)}")
        if isinstance(item, FakeReply | FakeError) and item.delay_s:
            await asyncio.sleep(item.delay_s)
        return body, item

    async def _anthropic(self, request: Request) -> Response:
        body, item = await self._take(request)
        if isinstance(item, FakeRaw):
            return _raw(item)
        if isinstance(item, FakeError):
            etype = item.error_type or _ANTHROPIC_ERROR_TYPES.get(
                item.status, "api_error"
            )
            payload = {
                "type": "error",
                "error": {"type": etype, "message": item.message},
            }
            return JSONResponse(payload, status_code=item.status, headers=_retry(item))
        model = item.model or str(body.get("model", "fake"))
        message = self._anthropic_message(item, model)
        if body.get("stream"):
            events = list(_anthropic_events(message, item))
            return _sse(events, item)
        return _json_or_cut(message, item)

    async def _openai(self, request: Request) -> Response:
        body, item = await self._take(request)
        if isinstance(item, FakeRaw):
            return _raw(item)
        if isinstance(item, FakeError):
            etype = item.error_type or (
                "rate_limit_exceeded" if item.status == 429 else "error"
            )
            payload = {
                "error": {
                    "message": item.message,
                    "type": etype,
                    "param": None,
                    "code": None,
                }
            }
            return JSONResponse(payload, status_code=item.status, headers=_retry(item))
        model = item.model or str(body.get("model", "fake"))
        if body.get("stream"):
            include_usage = bool(
                (body.get("stream_options") or {}).get("include_usage")
            )
            chunks = self._openai_chunks(item, model, include_usage=include_usage)
            return _sse(chunks, item)
        return _json_or_cut(self._openai_completion(item, model), item)

    async def _responses(self, request: Request) -> Response:
        body, item = await self._take(request)
        if isinstance(item, FakeRaw):
            return _raw(item)
        if isinstance(item, FakeError):
            payload = {
                "error": {
                    "message": item.message,
                    "type": item.error_type or "invalid_request_error",
                    "code": None,
                }
            }
            return JSONResponse(payload, status_code=item.status, headers=_retry(item))
        model = item.model or str(body.get("model", "fake"))
        response = self._responses_object(item, model)
        if body.get("stream"):
            return _sse(list(_responses_events(response)), item)
        return _json_or_cut(response, item)

    def _responses_object(self, item: FakeReply, model: str) -> dict[str, Any]:
        output: list[dict[str, Any]] = []
        if item.text:
            output.append(
                {
                    "type": "message",
                    "id": self.next_id("msg"),
                    "role": "assistant",
                    "status": "completed",
                    "content": [
                        {"type": "output_text", "text": item.text, "annotations": []}
                    ],
                }
            )
        for name, args in item.tool_calls:
            output.append(
                {
                    "type": "function_call",
                    "id": self.next_id("fc"),
                    "call_id": self.next_id("call"),
                    "name": name,
                    "arguments": args if isinstance(args, str) else json.dumps(args),
                    "status": "completed",
                }
            )
        for name, text in item.custom_calls:
            output.append(
                {
                    "type": "custom_tool_call",
                    "id": self.next_id("ctc"),
                    "call_id": self.next_id("call"),
                    "name": name,
                    "input": text,
                    "status": "completed",
                }
            )
        return {
            "id": self.next_id("resp"),
            "object": "response",
            "created_at": int(time.time()),
            "model": model,
            "status": "incomplete" if item.stop_reason == "max_tokens" else "completed",
            "output": output,
            "usage": {
                "input_tokens": item.input_tokens + item.cache_read_tokens,
                "input_tokens_details": {"cached_tokens": item.cache_read_tokens},
                "output_tokens": item.output_tokens,
                "output_tokens_details": {"reasoning_tokens": 0},
                "total_tokens": item.input_tokens
                + item.cache_read_tokens
                + item.output_tokens,
            },
        }

    # -- Anthropic rendering ---------------------------------------------------------

    def _anthropic_message(self, item: FakeReply, model: str) -> dict[str, Any]:
        content: list[dict[str, Any]] = []
        if item.text:
            content.append({"type": "text", "text": item.text})
        for name, args in item.tool_calls:
            content.append(
                {
                    "type": "tool_use",
                    "id": self.next_id("toolu"),
                    "name": name,
                    "input": json.loads(args) if isinstance(args, str) else args,
                }
            )
        return {
            "id": self.next_id("msg"),
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": content,
            "stop_reason": _ANTHROPIC_STOP[item.stop_reason],
            "stop_sequence": None,
            "usage": {
                "input_tokens": item.input_tokens,
                "output_tokens": item.output_tokens,
                "cache_read_input_tokens": item.cache_read_tokens,
                "cache_creation_input_tokens": item.cache_write_tokens,
            },
        }

    # -- OpenAI rendering ------------------------------------------------------------

    def _openai_tool_calls(self, item: FakeReply) -> list[dict[str, Any]]:
        return [
            {
                "id": self.next_id("call"),
                "type": "function",
                "function": {
                    "name": name,
                    "arguments": args if isinstance(args, str) else json.dumps(args),
                },
            }
            for name, args in item.tool_calls
        ]

    def _openai_usage(self, item: FakeReply) -> dict[str, Any]:
        prompt = item.input_tokens + item.cache_read_tokens
        return {
            "prompt_tokens": prompt,
            "completion_tokens": item.output_tokens,
            "total_tokens": prompt + item.output_tokens,
            "prompt_tokens_details": {"cached_tokens": item.cache_read_tokens},
        }

    def _openai_completion(self, item: FakeReply, model: str) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": item.text or None}
        if item.tool_calls:
            message["tool_calls"] = self._openai_tool_calls(item)
        return {
            "id": self.next_id("chatcmpl"),
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "finish_reason": _OPENAI_STOP[item.stop_reason],
                    "logprobs": None,
                }
            ],
            "usage": self._openai_usage(item),
        }

    def _openai_chunks(
        self, item: FakeReply, model: str, *, include_usage: bool
    ) -> list[tuple[str | None, dict[str, Any] | str]]:
        cid, created = self.next_id("chatcmpl"), int(time.time())

        def chunk(
            delta: dict[str, Any], finish: str | None = None
        ) -> tuple[None, dict[str, Any]]:
            return None, {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }

        out: list[tuple[str | None, dict[str, Any] | str]] = [
            chunk({"role": "assistant", "content": ""})
        ]
        out.extend(chunk({"content": piece}) for piece in _pieces(item.text))
        for index, call in enumerate(self._openai_tool_calls(item)):
            head = {
                "index": index,
                "id": call["id"],
                "type": "function",
                "function": {"name": call["function"]["name"], "arguments": ""},
            }
            out.append(chunk({"tool_calls": [head]}))
            out.extend(
                chunk({"tool_calls": [{"index": index, "function": {"arguments": p}}]})
                for p in _pieces(call["function"]["arguments"])
            )
        out.append(chunk({}, _OPENAI_STOP[item.stop_reason]))
        if include_usage:
            usage_chunk = {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [],
                "usage": self._openai_usage(item),
            }
            out.append((None, usage_chunk))
        out.append((None, "[DONE]"))
        return out


def _anthropic_events(
    message: dict[str, Any], item: FakeReply
) -> Iterator[tuple[str | None, dict[str, Any] | str]]:
    usage = message["usage"]
    start = {
        **message,
        "content": [],
        "stop_reason": None,
        "usage": {**usage, "output_tokens": 1},
    }
    yield "message_start", {"type": "message_start", "message": start}
    for index, block in enumerate(message["content"]):
        first: dict[str, Any]
        if block["type"] == "text":
            first = {"type": "text", "text": ""}
            deltas = [{"type": "text_delta", "text": p} for p in _pieces(block["text"])]
        else:
            first = {**block, "input": {}}
            raw = json.dumps(block["input"])
            deltas = [
                {"type": "input_json_delta", "partial_json": p} for p in _pieces(raw)
            ]
        yield (
            "content_block_start",
            {"type": "content_block_start", "index": index, "content_block": first},
        )
        for delta in deltas:
            yield (
                "content_block_delta",
                {"type": "content_block_delta", "index": index, "delta": delta},
            )
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
    yield (
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
            "usage": {"output_tokens": item.output_tokens},
        },
    )
    yield "message_stop", {"type": "message_stop"}


def _responses_events(
    response: dict[str, Any],
) -> Iterator[tuple[str | None, dict[str, Any] | str]]:
    seq = itertools.count()
    head = {**response, "status": "in_progress", "output": [], "usage": None}
    yield (
        "response.created",
        {"type": "response.created", "response": head, "sequence_number": next(seq)},
    )
    for index, item in enumerate(response["output"]):
        empty = {**item, "content": []} if item["type"] == "message" else item
        yield (
            "response.output_item.added",
            {
                "type": "response.output_item.added",
                "output_index": index,
                "item": empty,
                "sequence_number": next(seq),
            },
        )
        if item["type"] == "message":
            for piece in _pieces(item["content"][0]["text"]):
                yield (
                    "response.output_text.delta",
                    {
                        "type": "response.output_text.delta",
                        "item_id": item["id"],
                        "output_index": index,
                        "content_index": 0,
                        "delta": piece,
                        "sequence_number": next(seq),
                    },
                )
        yield (
            "response.output_item.done",
            {
                "type": "response.output_item.done",
                "output_index": index,
                "item": item,
                "sequence_number": next(seq),
            },
        )
    final = (
        "response.incomplete"
        if response["status"] == "incomplete"
        else "response.completed"
    )
    yield final, {"type": final, "response": response, "sequence_number": next(seq)}


def _pieces(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _last_user_text(body: dict[str, Any]) -> str:
    """The last user turn's text (Messages/Chat ``messages`` or Responses ``input``)."""
    turns = body.get("messages") or body.get("input") or []
    if isinstance(turns, str):
        return turns
    for message in reversed(turns):
        if not isinstance(message, dict) or message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        if isinstance(content, list):
            texts = [b.get("text", "") for b in content if isinstance(b, dict)]
            return " ".join(t for t in texts if t)
    return ""


def _retry(item: FakeError) -> dict[str, str]:
    headers = {}
    if item.retry_after is not None:
        headers["retry-after"] = item.retry_after
    if item.retry_after_ms is not None:
        headers["retry-after-ms"] = item.retry_after_ms
    return headers


def _raw(item: FakeRaw) -> Response:
    return Response(item.body, status_code=item.status, media_type=item.content_type)


def _json_or_cut(payload: dict[str, Any], item: FakeReply) -> Response:
    data = json.dumps(payload)
    if item.truncate_after is not None:
        data = data[: item.truncate_after]
    return Response(data, media_type="application/json")


def _sse(
    events: list[tuple[str | None, dict[str, Any] | str]], item: FakeReply
) -> Response:
    if item.truncate_after is not None:
        events = events[: item.truncate_after]

    async def stream() -> AsyncIterator[bytes]:
        for name, data in events:
            if item.chunk_delay_s:
                await asyncio.sleep(item.chunk_delay_s)
            text = data if isinstance(data, str) else json.dumps(data)
            head = f"event: {name}\n" if name else ""
            yield f"{head}data: {text}\n\n".encode()

    return StreamingResponse(stream(), media_type="text/event-stream")


class FakeLLMServer:
    """Serve a :class:`FakeLLM` with uvicorn on a free loopback port, in a thread."""

    def __init__(self, fake: FakeLLM | None = None) -> None:
        self.fake = fake or FakeLLM()
        config = uvicorn.Config(
            self.fake.app(),
            host="127.0.0.1",
            port=0,
            log_level="error",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def start(self) -> FakeLLM:
        """Start serving; return the fake with its ``url`` set."""
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                msg = "the fake LLM server did not start"
                raise RuntimeError(msg)
            time.sleep(0.005)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.fake.url = f"http://127.0.0.1:{port}"
        return self.fake

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self._server.should_exit = True
        self._thread.join(timeout=5)


@contextmanager
def running_fake_llm() -> Iterator[FakeLLM]:
    """A started fake for the duration of a ``with`` block."""
    server = FakeLLMServer()
    fake = server.start()
    try:
        yield fake
    finally:
        server.stop()
