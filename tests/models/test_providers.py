"""Both providers end to end: the real SDKs against the loopback fake server."""

import time
from typing import Any

import pytest

from harness.models import GenerationParams, Message, ModelError, ModelReply, ToolSpec
from harness.models.base import Model
from harness.models.retry import RetryPolicy
from tests.fakes.fake_llm import FakeError, FakeRaw, FakeReply
from tests.models.conftest import run

SPECS = ["anthropic:claude-haiku-4-5", "openai:gpt-4.1"]
WRITE = ToolSpec(
    name="write_file",
    description="Write one file.",
    input_schema={
        "type": "object",
        "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
        "required": ["path", "content"],
    },
)
USER = [Message(role="user", content="Build the app.")]
PARAMS = GenerationParams(max_tokens=512)


async def _complete(
    model: Model,
    messages: list[Message] = USER,
    tools: list[ToolSpec] | None = None,
    params: GenerationParams = PARAMS,
) -> ModelReply:
    try:
        return await model.complete(
            "You write FastAPI apps.", messages, tools or [], params
        )
    finally:
        await model.aclose()


def complete(model: Model, **kwargs: Any) -> ModelReply:
    return run(_complete(model, **kwargs))


def failure(model: Model, **kwargs: Any) -> ModelError:
    with pytest.raises(ModelError) as caught:
        complete(model, **kwargs)
    return caught.value


@pytest.fixture(params=SPECS)
def spec(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.mark.parametrize("stream", [False, True])
def test_text_reply_with_usage_cost_and_time(fake, make_model, spec, stream):
    fake.script(
        FakeReply(text="Here is the app.", input_tokens=1000, output_tokens=200)
    )
    reply = complete(make_model(spec, stream=stream))
    assert reply.text == "Here is the app."
    assert reply.stop_reason == "end"
    assert reply.tool_calls == []
    assert reply.usage.input_tokens == 1000
    assert reply.usage.output_tokens == 200
    # claude-haiku-4-5: $1 in / $5 out; gpt-4.1: $2 in / $8 out (per million)
    expected = 0.002 if spec.startswith("anthropic") else 0.0036
    assert reply.cost_usd == pytest.approx(expected)
    assert reply.raw_model == spec.partition(":")[2]
    assert reply.wall_s > 0
    assert reply.attempts == 1
    assert reply.request["stream"] is stream
    assert fake.requests[0].body.get("stream", False) is stream


@pytest.mark.parametrize("stream", [False, True])
def test_tool_call_round_trip(fake, make_model, spec, stream):
    args = {"path": "src/app/main.py", "content": 'print("hi")\n' * 20}
    fake.script(
        FakeReply(text="Writing.", tool_calls=[("write_file", args)]),
        FakeReply(text="Done."),
    )
    model = make_model(spec, stream=stream)

    async def loop() -> tuple[ModelReply, ModelReply]:
        try:
            first = await model.complete("sys", USER, [WRITE], PARAMS)
            call = first.tool_calls[0]
            history = [
                *USER,
                Message(
                    role="assistant", content=first.text, tool_calls=first.tool_calls
                ),
                Message(role="tool", tool_call_id=call.id, content="wrote 240 bytes"),
            ]
            second = await model.complete("sys", history, [WRITE], PARAMS)
        finally:
            await model.aclose()
        return first, second

    first, second = run(loop())
    assert first.stop_reason == "tool_use"
    assert first.text == "Writing."
    assert [c.name for c in first.tool_calls] == ["write_file"]
    assert first.tool_calls[0].arguments == args
    assert second.text == "Done."
    sent = fake.requests[1].body
    call_id = first.tool_calls[0].id
    if spec.startswith("anthropic"):
        assert sent["tools"][0]["input_schema"] == WRITE.input_schema
        assistant, result = sent["messages"][1], sent["messages"][2]
        assert assistant["content"][1] == {
            "type": "tool_use",
            "id": call_id,
            "name": "write_file",
            "input": args,
        }
        assert result["role"] == "user"
        assert result["content"][0]["type"] == "tool_result"
        assert result["content"][0]["tool_use_id"] == call_id
    else:
        assert sent["tools"][0]["function"]["parameters"] == WRITE.input_schema
        assistant, result = sent["messages"][2], sent["messages"][3]
        assert assistant["tool_calls"][0]["id"] == call_id
        assert result == {
            "role": "tool",
            "tool_call_id": call_id,
            "content": "wrote 240 bytes",
        }


def test_max_tokens_stop_keeps_partial_text(fake, make_model, spec):
    fake.script(
        FakeReply(text="### src/app/main.py\n```python\nfrom fa", stop="max_tokens")
    )
    reply = complete(make_model(spec))
    assert reply.stop_reason == "max_tokens"
    assert reply.text.endswith("from fa")


def test_refusal_is_an_error_stop(fake, make_model, spec):
    fake.script(FakeReply(text="", stop="refusal"))
    reply = complete(make_model(spec))
    assert reply.stop_reason == "error"
    assert reply.raw_stop_reason in {"refusal", "content_filter"}


def test_rate_limited_then_success_honours_retry_after(fake, make_model, spec):
    fake.script(FakeError(429, "slow down", retry_after="0.3"), FakeReply(text="ok"))
    model = make_model(spec)
    started = time.monotonic()
    reply = complete(model)
    assert reply.text == "ok"
    assert reply.attempts == 2
    assert len(fake.requests) == 2
    assert time.monotonic() - started >= 0.3  # the server's wait, not our 10 ms backoff
    limiter = model.limiter  # type: ignore[attr-defined]
    assert limiter.rate_limited == 1
    assert limiter.limit == limiter.max_concurrency // 2


def test_sdk_retries_first_using_retry_after_ms(fake, make_model, spec):
    fake.script(FakeError(429, retry_after_ms="20"), FakeReply(text="ok"))
    reply = complete(make_model(spec, sdk_max_retries=1))
    assert reply.text == "ok"
    assert reply.attempts == 1  # the SDK's own retry absorbed it
    assert [r.headers["x-stainless-retry-count"] for r in fake.requests] == ["0", "1"]


def test_server_errors_until_retries_are_exhausted(fake, make_model, spec):
    fake.script(*[FakeError(500, "boom")] * 3, FakeReply(text="too late"))
    error = failure(make_model(spec))
    assert error.reason == "server_error"
    assert error.status == 500
    assert error.attempts == 3
    assert len(fake.requests) == 3
    line = str(error)
    assert "\n" not in line
    assert line.startswith(f"{spec}: server_error: HTTP 500")
    assert line.endswith("(after 3 attempts)")


def test_one_retry_budget_by_default(fake, spec):
    # No SDK retries stacked under ours: the policy's attempts are every HTTP attempt.
    from harness.models.registry import load_model

    base = (
        fake.anthropic_base_url
        if spec.startswith("anthropic")
        else fake.openai_base_url
    )
    policy = RetryPolicy(max_attempts=4, base_s=0.001, max_s=0.002)
    fake.script(*[FakeError(503, "down")] * 10)
    error = failure(load_model(spec, api_key="k", base_url=base, retry=policy))
    assert error.attempts == 4
    assert len(fake.requests) == 4


def test_overloaded_is_retried(fake, make_model, spec):
    fake.script(
        FakeError(529, "Overloaded", error_type="overloaded_error"),
        FakeReply(text="ok"),
    )
    assert complete(make_model(spec)).attempts == 2


def test_auth_error_is_not_retried(fake, make_model, spec):
    fake.script(FakeError(401, "invalid x-api-key"), FakeReply(text="never"))
    error = failure(make_model(spec))
    assert error.reason == "auth"
    assert error.attempts == 1
    assert len(fake.requests) == 1


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(
    "body",
    ['{"id": "x", "conte', "<html>502 Bad Gateway</html>"],
    ids=["cut-json", "html"],
)
def test_malformed_reply_is_a_clear_error(fake, make_model, spec, stream, body):
    fake.script(
        FakeRaw(
            body=body, content_type="application/json" if "{" in body else "text/html"
        )
    )
    error = failure(make_model(spec, stream=stream))
    assert error.reason == "malformed"
    assert len(fake.requests) == 1  # a malformed reply is not retried


def test_truncated_stream_is_retried_then_reported(fake, make_model, spec):
    cut = FakeReply(text="a long reply " * 10, truncate_after=3)
    fake.script(cut, cut, cut)
    error = failure(make_model(spec, stream=True))
    assert error.reason == "truncated"
    assert error.attempts == 3
    assert "before" in error.detail


def test_truncated_stream_then_complete_stream(fake, make_model, spec):
    fake.script(
        FakeReply(text="partial " * 10, truncate_after=3), FakeReply(text="whole")
    )
    reply = complete(make_model(spec, stream=True))
    assert reply.text == "whole"
    assert reply.attempts == 2


def test_slow_reply_hits_the_timeout(fake, make_model, spec):
    fake.script(FakeReply(text="late", delay_s=1.5))
    started = time.monotonic()
    error = failure(make_model(spec, timeout_s=0.2, retry=RetryPolicy(max_attempts=1)))
    assert error.reason == "timeout"
    assert time.monotonic() - started < 1.4


def test_slow_stream_hits_the_timeout(fake, make_model, spec):
    fake.script(FakeReply(text="x" * 70, chunk_delay_s=0.5))
    error = failure(
        make_model(spec, stream=True, timeout_s=0.2, retry=RetryPolicy(max_attempts=1))
    )
    assert error.reason == "timeout"


def test_connection_refused_is_a_connection_error(make_model, spec):
    model = make_model(
        spec, base_url="http://127.0.0.1:9/v1", retry=RetryPolicy(max_attempts=1)
    )
    error = failure(model)
    assert error.reason == "connection"


def test_unknown_model_price_gives_no_cost(fake, make_model, spec):
    provider = spec.partition(":")[0]
    fake.script(FakeReply(text="hi"))
    reply = complete(make_model(f"{provider}:my-local-model"))
    assert reply.cost_usd is None
