"""The offline models: ``reference`` (the gold project) and ``replay:<run>``."""

from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.models import GenerationParams, Message, ModelError, ToolSpec, load_model
from harness.models.base import ModelReply, ToolCall, Usage
from harness.run.layout import RunLayout
from harness.solvers.oneshot.parser import parse_reply
from harness.transcript import ReplyEvent, StartEvent, ToolEvent, Transcript, UserEvent
from tests.models.conftest import run

P = GenerationParams()
USER = [Message(role="user", content="Build it.")]
TOOLS = [
    ToolSpec(name="write_file", description="w", input_schema={"type": "object"}),
    ToolSpec(name="finish", description="f", input_schema={"type": "object"}),
]


@pytest.fixture
def reference(tmp_path) -> Path:
    root = tmp_path / "reference"
    (root / "src" / "app").mkdir(parents=True)
    (root / "src" / "app" / "main.py").write_text(
        "from fastapi import FastAPI\n\napp = FastAPI()\n"
    )
    (root / "README.md").write_text("# App\n\n```bash\nuv run pytest\n```\n")
    (root / "src" / "app" / "__pycache__").mkdir()
    (root / "src" / "app" / "__pycache__" / "main.cpython-312.pyc").write_bytes(b"\0\1")
    return root


def test_reference_one_shot_reply_parses_back_to_the_project(reference):
    model = load_model("reference", reference_dir=reference)
    assert model.name == "reference"
    files = model.files()
    assert set(files) == {"README.md", "src/app/main.py"}
    reply = run(model.complete("sys", USER, [], P))
    assert reply.stop_reason == "end"
    assert reply.cost_usd == 0.0
    assert parse_reply(reply.text).files == files


def test_reference_agent_writes_every_file_then_finishes(reference):
    model = load_model("reference", reference_dir=reference)
    first = run(model.complete("sys", USER, TOOLS, P))
    assert first.stop_reason == "tool_use"
    written = {c.arguments["path"]: c.arguments["content"] for c in first.tool_calls}
    assert written == model.files()
    history = [*USER, Message(role="assistant", tool_calls=first.tool_calls)]
    second = run(model.complete("sys", history, TOOLS, P))
    assert [c.name for c in second.tool_calls] == ["finish"]


def test_reference_needs_a_folder(tmp_path):
    with pytest.raises(UsageError, match="reference project"):
        load_model("reference", reference_dir=tmp_path / "missing")
    with pytest.raises(UsageError):
        load_model("reference")


def _write_transcript(path: Path) -> None:
    with Transcript(path) as t:
        t.write(
            StartEvent(
                task="crud-notes",
                arm="none",
                variant_hash="none",
                delivery="none",
                solver="loop",
                model="anthropic:claude-haiku-4-5",
                epoch=2,
                prompt_version="1",
                system="s",
            )
        )
        t.write(UserEvent(content="Build it."))
        first = ModelReply(
            text="Writing.",
            tool_calls=[
                ToolCall(
                    id="t1",
                    name="write_file",
                    arguments={"path": "a.py", "content": ""},
                )
            ],
            stop_reason="tool_use",
            raw_stop_reason="tool_use",
            usage=Usage(input_tokens=10, output_tokens=5),
            cost_usd=0.001,
            wall_s=1.5,
            raw_model="claude-haiku-4-5",
        )
        t.write(ReplyEvent(turn=1, reply=first))
        t.write(ToolEvent(turn=1, call_id="t1", name="write_file", content="ok"))
        t.write(ReplyEvent(turn=2, reply=ModelReply(text="Done.")))
    with path.open("a") as fh:
        fh.write('{"type": "reply", "text": "cut')  # an interrupted last line


def test_replay_serves_stored_replies_in_order(tmp_path):
    layout = RunLayout.of(tmp_path, "run-1")
    path = layout.transcript_of("crud-notes", "none", 2)
    _write_transcript(path)
    model = load_model("replay:run-1", transcript=path, epoch=2)
    assert model.name == "replay:run-1"
    assert model.generation.model == "anthropic:claude-haiku-4-5"

    async def go():
        first = await model.complete("s", USER, TOOLS, P)
        second = await model.complete("s", USER, TOOLS, P)
        with pytest.raises(ModelError) as caught:
            await model.complete("s", USER, TOOLS, P)
        return first, second, caught.value

    first, second, error = run(go())
    assert first.tool_calls[0].arguments == {"path": "a.py", "content": ""}
    assert first.cached
    assert first.cost_usd == 0.001
    assert first.raw_model == "claude-haiku-4-5"
    assert second.text == "Done."
    assert error.reason == "not_found"
    assert "holds 2 replies" in str(error)


def test_offline_models_bypass_the_response_cache(tmp_path, reference):
    from harness.models.cache import ResponseCache

    cache = ResponseCache(tmp_path / "cache")
    model = load_model("reference", reference_dir=reference, cache=cache, epoch=3)
    run(model.complete("sys", USER, [], P))
    assert model.name == "reference"
    assert not (tmp_path / "cache").exists()


def test_replay_of_a_missing_sample_names_the_file(tmp_path):
    path = RunLayout.of(tmp_path, "nope").transcript_of("t", "v", 0)
    model = load_model("replay:nope", transcript=path)
    with pytest.raises(ModelError, match=r"no stored generation at .*nope"):
        run(model.complete("s", USER, [], P))
