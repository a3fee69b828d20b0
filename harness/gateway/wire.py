"""Reading what passes through the gateway: SSE streams and JSON bodies of both APIs.

The gateway forwards bytes untouched; afterwards it reads them back into a
:class:`~harness.models.base.ModelReply` (text, tool calls, stop reason, usage, model), so a
call through a coding agent is recorded, counted and priced exactly like a call of the
builtin loop. Two wire formats:

- Anthropic Messages (Claude Code): ``message_start`` carries the input usage and the model,
  ``content_block_*`` the text and tool inputs, ``message_delta`` the stop reason and the
  output tokens.
- OpenAI Responses (Codex): ``response.completed`` (or ``incomplete``/``failed``) carries the
  whole response with its usage; ``response.output_item.done`` each item as it ends.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from harness.models.base import ModelReply, StopReason, ToolCall, Usage

Api = Literal["anthropic", "responses"]

_ANTHROPIC_STOP: dict[str, StopReason] = {
    "end_turn": "end",
    "stop_sequence": "end",
    "tool_use": "tool_use",
    "pause_turn": "end",
    "max_tokens": "max_tokens",
    "refusal": "error",
}


def parse_sse(data: bytes) -> list[dict[str, Any]]:
    """The JSON ``data:`` payloads of an SSE stream, in order (``[DONE]`` and junk skipped)."""
    events: list[dict[str, Any]] = []
    for block in data.decode("utf-8", "replace").replace("\r\n", "\n").split("\n\n"):
        payload = "\n".join(
            line[5:].lstrip() for line in block.split("\n") if line.startswith("data:")
        )
        if not payload or payload == "[DONE]":
            continue
        try:
            event = json.loads(payload)
        except json.JSONDecodeError:
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def _anthropic_usage(raw: dict[str, Any]) -> Usage:
    return Usage(
        input_tokens=int(raw.get("input_tokens") or 0),
        output_tokens=int(raw.get("output_tokens") or 0),
        cache_read_tokens=int(raw.get("cache_read_input_tokens") or 0),
        cache_write_tokens=int(raw.get("cache_creation_input_tokens") or 0),
    )


def _tool_input(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {"_unparsed": raw}
    return value if isinstance(value, dict) else {"_value": value}


def anthropic_reply(events: list[dict[str, Any]]) -> ModelReply:
    """A Messages API reply from its stream events (or from one JSON body, as one event)."""
    if len(events) == 1 and events[0].get("type") == "message":
        events = _message_as_events(events[0])
    text: list[str] = []
    calls: list[ToolCall] = []
    blocks: dict[int, dict[str, Any]] = {}
    usage = Usage()
    model = ""
    raw_stop: str | None = None
    for event in events:
        kind = event.get("type")
        if kind == "message_start":
            message = event.get("message") or {}
            model = str(message.get("model") or "")
            usage = _anthropic_usage(message.get("usage") or {})
        elif kind == "content_block_start":
            blocks[int(event.get("index", 0))] = {
                **event.get("content_block", {}),
                "_json": "",
            }
        elif kind == "content_block_delta":
            block = blocks.setdefault(int(event.get("index", 0)), {"_json": ""})
            delta = event.get("delta") or {}
            if delta.get("type") == "text_delta":
                block["text"] = block.get("text", "") + str(delta.get("text", ""))
            elif delta.get("type") == "input_json_delta":
                block["_json"] += str(delta.get("partial_json", ""))
        elif kind == "message_delta":
            raw_stop = (event.get("delta") or {}).get("stop_reason") or raw_stop
            late = event.get("usage") or {}
            merged = {
                **_usage_dict(usage),
                **{k: v for k, v in late.items() if v is not None},
            }
            usage = _anthropic_usage(merged)
    for index in sorted(blocks):
        block = blocks[index]
        if block.get("type") == "text":
            text.append(str(block.get("text", "")))
        elif block.get("type") == "tool_use":
            arguments = (
                _tool_input(block["_json"])
                if block["_json"]
                else block.get("input") or {}
            )
            calls.append(
                ToolCall(
                    id=str(block.get("id", "")),
                    name=str(block.get("name", "")),
                    arguments=arguments,
                )
            )
    return ModelReply(
        text="".join(text),
        tool_calls=calls,
        stop_reason=_ANTHROPIC_STOP.get(raw_stop or "", "end"),
        raw_stop_reason=raw_stop,
        usage=usage,
        raw_model=model,
    )


def _usage_dict(usage: Usage) -> dict[str, int]:
    return {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "cache_read_input_tokens": usage.cache_read_tokens,
        "cache_creation_input_tokens": usage.cache_write_tokens,
    }


def _message_as_events(message: dict[str, Any]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = [{"type": "message_start", "message": message}]
    for index, block in enumerate(message.get("content") or []):
        events.append(
            {"type": "content_block_start", "index": index, "content_block": block}
        )
    delta = {"stop_reason": message.get("stop_reason")}
    events.append({"type": "message_delta", "delta": delta, "usage": {}})
    return events


def responses_reply(events: list[dict[str, Any]]) -> ModelReply:
    """A Responses API reply from its stream events (or one JSON body, as one event)."""
    response: dict[str, Any] = {}
    items: list[dict[str, Any]] = []
    for event in events:
        kind = str(event.get("type", ""))
        if kind == "response.output_item.done":
            items.append(event.get("item") or {})
        elif kind in ("response.completed", "response.incomplete", "response.failed"):
            response = event.get("response") or {}
        elif event.get("object") == "response":
            response = event
    output = response.get("output") or items
    text: list[str] = []
    calls: list[ToolCall] = []
    for item in output:
        item_kind = item.get("type")
        if item_kind == "message":
            text.extend(
                str(c.get("text", "")) for c in item.get("content") or [] if "text" in c
            )
        elif item_kind == "function_call":
            calls.append(
                ToolCall(
                    id=str(item.get("call_id", "")),
                    name=str(item.get("name", "")),
                    arguments=_tool_input(str(item.get("arguments", ""))),
                )
            )
        elif item_kind == "custom_tool_call":
            calls.append(
                ToolCall(
                    id=str(item.get("call_id", "")),
                    name=str(item.get("name", "")),
                    arguments={"input": item.get("input", "")},
                )
            )
    raw = response.get("usage") or {}
    cached = int((raw.get("input_tokens_details") or {}).get("cached_tokens") or 0)
    usage = Usage(
        input_tokens=max(0, int(raw.get("input_tokens") or 0) - cached),
        output_tokens=int(raw.get("output_tokens") or 0),
        cache_read_tokens=cached,
    )
    status = str(response.get("status") or "")
    stop: StopReason = "tool_use" if calls else "end"
    if status == "incomplete":
        stop = "max_tokens"
    elif status == "failed":
        stop = "error"
    return ModelReply(
        text="".join(text),
        tool_calls=calls,
        stop_reason=stop,
        raw_stop_reason=status or None,
        usage=usage,
        raw_model=str(response.get("model") or ""),
    )


def read_reply(
    api: Api, body: bytes, *, streamed: bool
) -> tuple[ModelReply, list[dict[str, Any]]]:
    """The reply and the raw events (or the one JSON body) of a forwarded response."""
    if streamed:
        events = parse_sse(body)
    else:
        try:
            parsed = json.loads(body or b"{}")
        except json.JSONDecodeError:
            parsed = {}
        events = [parsed] if isinstance(parsed, dict) else []
    reply = anthropic_reply(events) if api == "anthropic" else responses_reply(events)
    return reply, events


#: Anthropic's error type for each status the gateway answers with.
_ANTHROPIC_ERRORS = {
    403: "permission_error",
    404: "not_found_error",
    408: "timeout_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    502: "api_error",
}


def refusal_body(api: Api, message: str, *, status: int = 400) -> dict[str, Any]:
    """An API error body (the agent shows its message) for a call the gateway refuses."""
    if api == "anthropic":
        kind = _ANTHROPIC_ERRORS.get(status, "invalid_request_error")
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {
        "error": {
            "message": message,
            "type": "server_error" if status >= 500 else "invalid_request_error",
            "param": None,
            "code": "harness_gateway",
        }
    }


__all__ = [
    "Api",
    "anthropic_reply",
    "parse_sse",
    "read_reply",
    "refusal_body",
    "responses_reply",
]
