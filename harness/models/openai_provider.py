"""``openai:<model>``: Chat Completions through the official ``openai`` SDK.

Works with OpenAI and with any OpenAI-compatible server through ``base_url`` (vLLM
``http://localhost:8000/v1``, Ollama ``http://localhost:11434/v1``, llama.cpp
server ``http://localhost:8080/v1``, LM Studio ``http://localhost:1234/v1``). The key
comes from ``api_key``, else ``OPENAI_API_KEY``; a local server with no key gets a
placeholder. The base URL comes from ``base_url``, else ``OPENAI_BASE_URL``.

The token limit is sent as ``max_completion_tokens`` to OpenAI and as
``max_tokens`` to other servers (older compatible servers know only that one);
``max_tokens_param`` overrides the choice. ``seed`` and ``temperature`` are sent
when set, ``extra`` is merged into the body. Replies stream by default, with
``stream_options.include_usage`` so streamed calls are costed too
(``stream_usage=False`` for servers that reject it).

A tool call whose arguments are not a JSON object is kept, with the raw text under
:data:`INVALID_ARGUMENTS_KEY`, so the agent loop can tell the model its call was
malformed instead of losing the sample.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import httpx2
import openai
from pydantic import ValidationError

from harness.errors import UsageError
from harness.models.base import (
    GenerationParams,
    Message,
    ModelReply,
    StopReason,
    ToolCall,
    ToolSpec,
    Usage,
)
from harness.models.provider import ApiProvider, reason_for_status, retry_after_seconds

if TYPE_CHECKING:
    from openai.types import CompletionUsage
    from openai.types.chat import ChatCompletion

INVALID_ARGUMENTS_KEY = "__invalid_json_arguments__"
"""Key under which unparseable tool-call arguments are kept, as the raw string."""

NO_KEY_PLACEHOLDER = "sk-no-key-required"

_STOP: dict[str, StopReason] = {
    "stop": "end",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "length": "max_tokens",
    "content_filter": "error",
}


def to_openai_messages(system: str, messages: list[Message]) -> list[dict[str, Any]]:
    """Our turns as Chat Completions messages, the system prompt first."""
    out: list[dict[str, Any]] = []
    if system:
        out.append({"role": "system", "content": system})
    for message in messages:
        if message.role == "tool":
            out.append(
                {
                    "role": "tool",
                    "tool_call_id": message.tool_call_id or "",
                    "content": message.content,
                }
            )
        elif message.role == "assistant" and message.tool_calls:
            out.append(
                {
                    "role": "assistant",
                    "content": message.content or None,
                    "tool_calls": [
                        {
                            "id": c.id,
                            "type": "function",
                            "function": {
                                "name": c.name,
                                "arguments": json.dumps(
                                    c.arguments, ensure_ascii=False
                                ),
                            },
                        }
                        for c in message.tool_calls
                    ],
                }
            )
        else:
            out.append({"role": message.role, "content": message.content})
    return out


def parse_arguments(raw: str | None) -> dict[str, Any]:
    """Tool-call arguments as a dict; unparseable text is kept under a marker key."""
    if not raw or not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return {INVALID_ARGUMENTS_KEY: raw}
    return value if isinstance(value, dict) else {INVALID_ARGUMENTS_KEY: raw}


def _usage(usage: CompletionUsage | None) -> Usage:
    if usage is None:
        return Usage()
    details = usage.prompt_tokens_details
    cached = (details.cached_tokens or 0) if details is not None else 0
    return Usage(
        input_tokens=max(0, (usage.prompt_tokens or 0) - cached),
        output_tokens=usage.completion_tokens or 0,
        cache_read_tokens=cached,
    )


@dataclass
class _PartialCall:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


class OpenAIModel(ApiProvider):
    """A model behind an OpenAI-compatible Chat Completions API.

    Args:
        model: the model id.
        max_tokens_param: the body field carrying the token limit (default: see module).
        stream_usage: ask for the usage chunk when streaming.
        **options: the shared provider options (:class:`ApiProvider`).
    """

    provider = "openai"

    def __init__(
        self,
        model: str,
        *,
        max_tokens_param: Literal["max_tokens", "max_completion_tokens"] | None = None,
        stream_usage: bool = True,
        **options: Any,  # noqa: ANN401
    ) -> None:
        super().__init__(model, **options)
        self.base_url = self.base_url or os.environ.get("OPENAI_BASE_URL")
        official = self.base_url is None or "api.openai.com" in self.base_url
        api_key = self.api_key or os.environ.get("OPENAI_API_KEY")
        if not api_key:
            if official:
                msg = (
                    f"model {self.name!r} needs an API key: set OPENAI_API_KEY in the "
                    "environment, or give --base-url for a local server"
                )
                raise UsageError(msg)
            api_key = NO_KEY_PLACEHOLDER
        self.max_tokens_param = max_tokens_param or (
            "max_completion_tokens" if official else "max_tokens"
        )
        self.stream_usage = stream_usage
        self.client = openai.AsyncOpenAI(
            api_key=api_key,
            base_url=self.base_url,
            timeout=self.timeout_s,
            max_retries=self.sdk_max_retries,
        )

    def recorded_options(self) -> dict[str, Any]:
        """Base URL and the token-limit field used."""
        return {"base_url": self.base_url, "max_tokens_param": self.max_tokens_param}

    def build_request(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        params: GenerationParams,
    ) -> dict[str, Any]:
        """The ``chat.completions.create`` keyword arguments."""
        request: dict[str, Any] = {
            "model": self.model,
            "messages": to_openai_messages(system, messages),
            self.max_tokens_param: params.max_tokens,
        }
        if tools:
            request["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.input_schema,
                    },
                }
                for t in tools
            ]
        if params.temperature is not None:
            request["temperature"] = params.temperature
        if params.seed is not None:
            request["seed"] = params.seed
        if params.extra:
            request["extra_body"] = dict(params.extra)
        if self.stream:
            request["stream"] = True
            if self.stream_usage:
                request["stream_options"] = {"include_usage": True}
        return request

    async def send(self, request: dict[str, Any]) -> ModelReply:
        """One attempt, streamed or not, with SDK errors mapped to ModelError."""
        try:
            if self.stream:
                return await self._send_stream(request)
            completion: object = await self.client.chat.completions.create(**request)
            if not isinstance(completion, openai.types.chat.ChatCompletion):
                shown = str(completion)[:80]
                detail = f"the reply is not a chat completion: {shown!r}"
                raise self.error("malformed", detail)
            return self._reply(completion)
        except (httpx2.TimeoutException, openai.APITimeoutError) as exc:
            raise self.error("timeout", f"no reply within {self.timeout_s:g}s") from exc
        except (
            httpx2.TransportError
        ) as exc:  # raised mid-body, outside the SDK's wrapping
            detail = f"the connection broke while the reply was read: {exc!r}"
            raise self.error("truncated", detail[:300]) from exc
        except openai.APIConnectionError as exc:
            detail = f"cannot reach {self.client.base_url}: {exc.__cause__ or exc}"
            raise self.error("connection", detail) from exc
        except openai.APIStatusError as exc:
            text = exc.response.text if exc.response is not None else ""
            raise self.error(
                reason_for_status(exc.status_code, text),
                f"HTTP {exc.status_code}: {exc.message}",
                status=exc.status_code,
                retry_after_s=retry_after_seconds(exc.response.headers),
            ) from exc
        except (openai.APIResponseValidationError, ValidationError, ValueError) as exc:
            detail = f"the reply is not a valid chat completion: {exc}"
            raise self.error("malformed", detail[:300]) from exc

    def _reply(self, completion: ChatCompletion) -> ModelReply:
        if not completion.choices:
            raise self.error("malformed", "the reply has no choices")
        choice = completion.choices[0]
        calls = [
            ToolCall(
                id=c.id,
                name=c.function.name,
                arguments=parse_arguments(c.function.arguments),
            )
            for c in choice.message.tool_calls or []
            if c.type == "function"
        ]
        return self._finish(
            text=choice.message.content or "",
            calls=calls,
            raw_stop=choice.finish_reason,
            usage=_usage(completion.usage),
            raw_model=completion.model,
        )

    async def _send_stream(self, request: dict[str, Any]) -> ModelReply:
        texts: list[str] = []
        partial: dict[int, _PartialCall] = {}
        raw_stop: str | None = None
        usage: CompletionUsage | None = None
        raw_model = ""
        chunks = 0
        stream = await self.client.chat.completions.create(**request)
        async with stream:
            async for chunk in stream:
                chunks += 1
                raw_model = chunk.model or raw_model
                if chunk.usage is not None:
                    usage = chunk.usage
                for choice in chunk.choices[:1] if chunk.choices else []:
                    delta = choice.delta
                    if delta.content:
                        texts.append(delta.content)
                    for call in delta.tool_calls or []:
                        slot = partial.setdefault(call.index, _PartialCall())
                        slot.id = call.id or slot.id
                        if call.function is not None:
                            slot.name = call.function.name or slot.name
                            if call.function.arguments:
                                slot.arguments.append(call.function.arguments)
                    raw_stop = choice.finish_reason or raw_stop
        if chunks == 0:
            raise self.error(
                "malformed", "the reply stream carried no chat.completion.chunk"
            )
        if raw_stop is None:
            detail = f"the reply stream ended before a finish_reason ({chunks} chunks received)"
            raise self.error("truncated", detail)
        calls = [
            ToolCall(
                id=p.id or f"call_{index}",
                name=p.name,
                arguments=parse_arguments("".join(p.arguments)),
            )
            for index, p in sorted(partial.items())
        ]
        return self._finish(
            text="".join(texts),
            calls=calls,
            raw_stop=raw_stop,
            usage=_usage(usage),
            raw_model=raw_model,
        )

    def _finish(
        self,
        *,
        text: str,
        calls: list[ToolCall],
        raw_stop: str | None,
        usage: Usage,
        raw_model: str,
    ) -> ModelReply:
        if raw_stop is None:
            raise self.error("truncated", "the reply has no finish_reason")
        stop = _STOP.get(raw_stop, "end")
        if calls and stop == "end":
            stop = "tool_use"  # some compatible servers say "stop" after tool calls
        if stop == "tool_use" and not calls:
            raise self.error(
                "malformed", "finish_reason tool_calls without a tool call"
            )
        return ModelReply(
            text=text,
            tool_calls=calls,
            stop_reason=stop,
            raw_stop_reason=raw_stop,
            usage=usage,
            raw_model=raw_model,
        )

    async def aclose(self) -> None:
        """Close the SDK's HTTP client."""
        await self.client.close()


def create(model: str, **options: Any) -> OpenAIModel:  # noqa: ANN401
    """Build ``openai:<model>`` (used by :func:`harness.models.registry.load_model`)."""
    return OpenAIModel(model, **options)
