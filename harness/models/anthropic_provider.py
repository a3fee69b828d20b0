"""``anthropic:<model>``: the Messages API through the official ``anthropic`` SDK.

The key comes from the ``api_key`` option, else ``ANTHROPIC_API_KEY`` (or
``ANTHROPIC_AUTH_TOKEN``); the base URL from ``base_url``, else
``ANTHROPIC_BASE_URL``, else the vendor's. Replies stream by default (long outputs
need it). The system prompt, the stable prefix of every request, is marked with
``cache_control`` so repeated turns and samples read it from Anthropic's prompt cache
(``prompt_cache=False`` turns that off). ``seed`` is recorded but not sent: the
Messages API has none. ``extra`` goes into the request body as is.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, cast

import anthropic
import httpx2
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
    from anthropic.types import Message as AnthropicMessage

_STOP: dict[str, StopReason] = {
    "end_turn": "end",
    "stop_sequence": "end",
    "pause_turn": "end",
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
    "model_context_window_exceeded": "max_tokens",
    "refusal": "error",
}


def to_anthropic_messages(messages: list[Message]) -> list[dict[str, Any]]:
    """Our turns as Messages API turns.

    Tool results become ``tool_result`` blocks of a user turn; consecutive turns of
    the same API role are merged, as the API wants roles to alternate.
    """
    out: list[dict[str, Any]] = []
    for message in messages:
        blocks: list[dict[str, Any]] = []
        if message.role == "tool":
            role = "user"
            blocks.append(
                {
                    "type": "tool_result",
                    "tool_use_id": message.tool_call_id or "",
                    "content": message.content,
                    "is_error": message.is_error,
                }
            )
        else:
            role = message.role
            if message.content:
                blocks.append({"type": "text", "text": message.content})
            blocks.extend(
                {"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments}
                for c in message.tool_calls
            )
        if not blocks:
            blocks.append({"type": "text", "text": "(empty)"})
        if out and out[-1]["role"] == role:
            out[-1]["content"].extend(blocks)
        else:
            out.append({"role": role, "content": blocks})
    return out


class AnthropicModel(ApiProvider):
    """A Claude model behind the Messages API (options: see :class:`ApiProvider`).

    Args:
        model: the model id.
        prompt_cache: mark the system prompt with ``cache_control``.
        **options: the shared provider options.
    """

    provider = "anthropic"

    def __init__(
        self,
        model: str,
        *,
        prompt_cache: bool = True,
        **options: Any,  # noqa: ANN401
    ) -> None:
        super().__init__(model, **options)
        self.prompt_cache = prompt_cache
        api_key = self.api_key or os.environ.get("ANTHROPIC_API_KEY")
        auth_token = None if api_key else os.environ.get("ANTHROPIC_AUTH_TOKEN")
        if not api_key and not auth_token:
            msg = (
                f"model {self.name!r} needs an API key: set ANTHROPIC_API_KEY (or "
                "ANTHROPIC_AUTH_TOKEN) in the environment"
            )
            raise UsageError(msg)
        self.base_url = self.base_url or os.environ.get("ANTHROPIC_BASE_URL")
        self.client = anthropic.AsyncAnthropic(
            api_key=api_key,
            auth_token=auth_token,
            base_url=self.base_url,
            timeout=self.timeout_s,
            max_retries=self.sdk_max_retries,
        )

    def recorded_options(self) -> dict[str, Any]:
        """Base URL and whether prompt caching was asked for."""
        return {"base_url": self.base_url, "prompt_cache": self.prompt_cache}

    def build_request(
        self,
        system: str,
        messages: list[Message],
        tools: list[ToolSpec],
        params: GenerationParams,
    ) -> dict[str, Any]:
        """The ``messages.create`` keyword arguments."""
        request: dict[str, Any] = {
            "model": self.model,
            "max_tokens": params.max_tokens,
            "messages": to_anthropic_messages(messages),
        }
        if system:
            block: dict[str, Any] = {"type": "text", "text": system}
            if self.prompt_cache:
                block["cache_control"] = {"type": "ephemeral"}
            request["system"] = [block]
        if tools:
            request["tools"] = [
                {
                    "name": t.name,
                    "description": t.description,
                    "input_schema": t.input_schema,
                }
                for t in tools
            ]
        # Sampling fields travel in the body as is: SDK 2.x no longer takes
        # ``temperature`` as a keyword, and the API still accepts it for models that do.
        body: dict[str, Any] = {}
        if params.temperature is not None:
            body["temperature"] = params.temperature
        body.update(params.extra)
        if body:
            request["extra_body"] = body
        return request

    async def send(self, request: dict[str, Any]) -> ModelReply:
        """One attempt, streamed or not, with SDK errors mapped to ModelError."""
        try:
            if self.stream:
                return await self._send_stream(request)
            message: object = await self.client.messages.create(**request)
            if not isinstance(message, anthropic.types.Message):
                shown = str(message)[:80]
                detail = f"the reply is not a Messages API message: {shown!r}"
                raise self.error("malformed", detail)
            return self._reply(message)
        except (httpx2.TimeoutException, anthropic.APITimeoutError) as exc:
            raise self.error("timeout", f"no reply within {self.timeout_s:g}s") from exc
        except (
            httpx2.TransportError
        ) as exc:  # raised mid-body, outside the SDK's wrapping
            detail = f"the connection broke while the reply was read: {exc!r}"
            raise self.error("truncated", detail[:300]) from exc
        except anthropic.APIConnectionError as exc:
            detail = f"cannot reach {self.client.base_url}: {exc.__cause__ or exc}"
            raise self.error("connection", detail) from exc
        except anthropic.APIStatusError as exc:
            text = exc.response.text if exc.response is not None else ""
            raise self.error(
                reason_for_status(exc.status_code, f"{exc.type or ''} {text}"),
                f"HTTP {exc.status_code}: {exc.api_message or exc.message}",
                status=exc.status_code,
                retry_after_s=retry_after_seconds(exc.response.headers),
            ) from exc
        except (
            anthropic.APIResponseValidationError,
            ValidationError,
            ValueError,
        ) as exc:
            detail = f"the reply is not a valid Messages API response: {exc}"
            raise self.error("malformed", detail[:300]) from exc

    async def _send_stream(self, request: dict[str, Any]) -> ModelReply:
        finished = False
        async with self.client.messages.stream(**request) as stream:
            async for event in stream:
                if event.type == "message_stop":
                    finished = True
            message = stream._current_snapshot_or_none()
        if message is None:
            detail = "the reply stream carried no message_start event (not a Messages API stream)"
            raise self.error("malformed", detail)
        if not finished:
            detail = (
                f"the reply stream ended before message_stop "
                f"({len(message.content)} content blocks received)"
            )
            raise self.error("truncated", detail)
        return self._reply(message)

    def _reply(self, message: AnthropicMessage) -> ModelReply:
        texts: list[str] = []
        calls: list[ToolCall] = []
        for block in message.content:
            if block.type == "text":
                texts.append(block.text)
            elif block.type == "tool_use":
                arguments = block.input
                if not isinstance(arguments, dict):
                    detail = f"tool call {block.name!r} input is not an object"
                    raise self.error("malformed", detail)
                calls.append(
                    ToolCall(
                        id=block.id,
                        name=block.name,
                        arguments=cast("dict[str, Any]", arguments),
                    )
                )
        raw_stop = message.stop_reason
        if raw_stop is None:
            raise self.error("truncated", "the reply has no stop reason")
        stop = _STOP.get(raw_stop, "end")
        if stop == "tool_use" and not calls:
            raise self.error("malformed", "stop reason tool_use without a tool call")
        usage = message.usage
        return ModelReply(
            text="".join(texts),
            tool_calls=calls,
            stop_reason=stop,
            raw_stop_reason=raw_stop,
            usage=Usage(
                input_tokens=usage.input_tokens or 0,
                output_tokens=usage.output_tokens or 0,
                cache_read_tokens=usage.cache_read_input_tokens or 0,
                cache_write_tokens=usage.cache_creation_input_tokens or 0,
            ),
            raw_model=str(message.model),
        )

    async def aclose(self) -> None:
        """Close the SDK's HTTP client."""
        await self.client.close()


def create(model: str, **options: Any) -> AnthropicModel:  # noqa: ANN401
    """Build ``anthropic:<model>`` (used by :func:`harness.models.registry.load_model`)."""
    return AnthropicModel(model, **options)
