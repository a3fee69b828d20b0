"""What each provider puts on the wire and reads back that is its own."""

import pytest

from harness.errors import UsageError
from harness.models import GenerationParams, Message, load_model
from harness.models.openai_provider import INVALID_ARGUMENTS_KEY, NO_KEY_PLACEHOLDER
from tests.fakes.fake_llm import FakeReply
from tests.models.conftest import run

USER = [Message(role="user", content="hi")]


async def _call(model, params=None, system="Stable system prompt."):
    try:
        return await model.complete(system, USER, [], params or GenerationParams())
    finally:
        await model.aclose()


def test_anthropic_request_shape(fake, make_model):
    fake.script(FakeReply(text="ok", cache_read_tokens=900, cache_write_tokens=100))
    params = GenerationParams(
        temperature=0.2, max_tokens=321, seed=7, extra={"top_k": 5}
    )
    reply = run(_call(make_model("anthropic:claude-haiku-4-5", stream=False), params))
    request = fake.requests[0]
    body = request.body
    assert request.path == "/v1/messages"
    assert request.headers["authorization"] == "Bearer test-key"
    assert body["system"] == [
        {
            "type": "text",
            "text": "Stable system prompt.",
            "cache_control": {"type": "ephemeral"},
        }
    ]
    assert body["max_tokens"] == 321
    assert body["temperature"] == 0.2
    assert body["top_k"] == 5
    assert "seed" not in body  # the Messages API has none; recorded only
    assert reply.request["seed"] == 7
    assert reply.request["extra"] == {"top_k": 5}
    assert reply.usage.cache_read_tokens == 900
    assert reply.usage.cache_write_tokens == 100
    # haiku-4-5: 11 in x $1 + 7 out x $5 + 900 read x $0.10 + 100 write x $1.25
    assert reply.cost_usd == pytest.approx((11 + 35 + 90 + 125) / 1e6)


def test_anthropic_prompt_cache_can_be_off(fake, make_model):
    run(_call(make_model("anthropic:claude-haiku-4-5", prompt_cache=False)))
    assert "cache_control" not in fake.requests[0].body["system"][0]


def test_anthropic_merges_consecutive_tool_results_into_one_user_turn(fake, make_model):
    from harness.models.anthropic_provider import to_anthropic_messages
    from harness.models.base import ToolCall

    calls = [
        ToolCall(id="a", name="read_file", arguments={"path": "x"}),
        ToolCall(id="b", name="read_file", arguments={"path": "y"}),
    ]
    turns = to_anthropic_messages(
        [
            Message(role="user", content="go"),
            Message(role="assistant", tool_calls=calls),
            Message(role="tool", tool_call_id="a", content="X"),
            Message(
                role="tool", tool_call_id="b", content="no such file", is_error=True
            ),
        ]
    )
    assert [t["role"] for t in turns] == ["user", "assistant", "user"]
    assert [b["tool_use_id"] for b in turns[2]["content"]] == ["a", "b"]
    assert turns[2]["content"][1]["is_error"] is True


def test_anthropic_key_and_base_url_from_environment(fake, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "env-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.anthropic_base_url)
    fake.script(FakeReply(text="from env"))
    reply = run(_call(load_model("anthropic:claude-haiku-4-5", sdk_max_retries=0)))
    assert reply.text == "from env"
    assert fake.requests[0].headers["authorization"] == "Bearer env-key"


def test_anthropic_without_key_is_a_usage_error(fake):
    with pytest.raises(UsageError, match="ANTHROPIC_API_KEY"):
        load_model("anthropic:claude-haiku-4-5")


def test_openai_request_shape_official(fake, make_model, monkeypatch):
    model = make_model("openai:gpt-4.1", stream=False)
    model.max_tokens_param = "max_completion_tokens"  # as for api.openai.com
    params = GenerationParams(
        temperature=0.0, max_tokens=99, seed=42, extra={"top_p": 0.5}
    )
    run(_call(model, params))
    body = fake.requests[0].body
    assert fake.requests[0].path == "/v1/chat/completions"
    assert body["messages"][0] == {"role": "system", "content": "Stable system prompt."}
    assert body["max_completion_tokens"] == 99
    assert "max_tokens" not in body
    assert body["seed"] == 42
    assert body["temperature"] == 0.0
    assert body["top_p"] == 0.5
    assert "stream" not in body


def test_openai_default_max_tokens_field_by_server(fake):
    official = load_model("openai:gpt-4.1", api_key="k")
    local = load_model("openai:qwen3-coder", base_url=fake.openai_base_url)
    assert official.max_tokens_param == "max_completion_tokens"
    assert local.max_tokens_param == "max_tokens"
    run(official.aclose())
    run(local.aclose())


def test_openai_local_server_needs_no_key(fake, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", fake.openai_base_url)
    fake.script(FakeReply(text="local"))
    reply = run(_call(load_model("openai:llama3.2", sdk_max_retries=0)))
    assert reply.text == "local"
    assert reply.cost_usd is None
    assert fake.requests[0].headers["authorization"] == f"Bearer {NO_KEY_PLACEHOLDER}"
    assert fake.requests[0].body["max_tokens"] == 16000


def test_openai_official_without_key_is_a_usage_error(fake):
    with pytest.raises(UsageError, match="OPENAI_API_KEY"):
        load_model("openai:gpt-4.1")


def test_openai_streams_with_usage_and_cached_tokens(fake, make_model):
    fake.script(
        FakeReply(text="ok", input_tokens=100, cache_read_tokens=400, output_tokens=5)
    )
    reply = run(_call(make_model("openai:gpt-4.1", stream=True)))
    assert fake.requests[0].body["stream_options"] == {"include_usage": True}
    assert reply.usage.input_tokens == 100  # uncached prompt tokens only
    assert reply.usage.cache_read_tokens == 400
    assert reply.cost_usd == pytest.approx((100 * 2 + 400 * 0.5 + 5 * 8) / 1e6)


@pytest.mark.parametrize("stream", [False, True])
def test_openai_invalid_tool_arguments_are_kept_for_the_loop(fake, make_model, stream):
    fake.script(FakeReply(tool_calls=[("write_file", '{"path": "a.py", "content": ')]))
    reply = run(_call(make_model("openai:gpt-4.1", stream=stream)))
    assert reply.stop_reason == "tool_use"
    assert reply.tool_calls[0].arguments == {
        INVALID_ARGUMENTS_KEY: '{"path": "a.py", "content": '
    }


def test_openai_stop_after_tool_calls_counts_as_tool_use(fake, make_model):
    fake.script(FakeReply(tool_calls=[("finish", {})], stop="end"))
    reply = run(_call(make_model("openai:gpt-4.1", stream=False)))
    assert reply.stop_reason == "tool_use"


def test_unknown_spec_is_a_usage_error():
    with pytest.raises(UsageError, match="anthropic:<model>"):
        load_model("gemini:pro")
    with pytest.raises(UsageError):
        load_model("openai:")
