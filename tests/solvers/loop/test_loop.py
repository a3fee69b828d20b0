"""The tool loop and its tools, with a scripted in-process model (no HTTP)."""

import asyncio
import json
import stat
from pathlib import Path

import pytest

from harness.models.base import (
    GenerationParams,
    Message,
    ModelError,
    ModelReply,
    ToolCall,
    ToolSpec,
    Usage,
)
from harness.models.budget import Budget
from harness.sandbox import Sandbox
from harness.solvers.loop.engine import (
    MAX_TOOL_OUTPUT,
    TOOLS,
    ToolBox,
    cap_output,
    parse_command,
    run_agent,
)
from harness.solvers.outcome import GenerationOutcome
from harness.solvers.workspace import PathError, Workspace, remove_caches
from harness.transcript import ToolEvent, Transcript, UserEvent, read_transcript
from harness.variants import skill_from_files


class ScriptedModel:
    """Replies from a list; records what it was sent."""

    name = "scripted:test"
    priced = True

    def __init__(self, *replies: ModelReply | ModelError) -> None:
        self.replies = list(replies)
        self.seen: list[list[Message]] = []

    async def complete(
        self,
        system: str,  # noqa: ARG002
        messages: list[Message],
        tools: list[ToolSpec],  # noqa: ARG002
        params: GenerationParams,  # noqa: ARG002
    ) -> ModelReply:
        self.seen.append(list(messages))
        item = self.replies.pop(0)
        if isinstance(item, ModelError):
            raise item
        return item

    async def aclose(self) -> None:
        return None


def calls(*pairs: tuple[str, dict]) -> ModelReply:
    return ModelReply(
        tool_calls=[
            ToolCall(id=f"c{i}", name=name, arguments=args)
            for i, (name, args) in enumerate(pairs)
        ],
        stop_reason="tool_use",
        usage=Usage(input_tokens=10, output_tokens=5),
        cost_usd=0.01,
    )


@pytest.fixture
def skill():
    return skill_from_files(
        {
            "SKILL.md": b"---\nname: demo\ndescription: Demo skill.\n---\nBody\n",
            "references/a.md": b"A\n",
        },
        folder_name="demo",
        source="test",
    )


def loop(
    tmp_path: Path, model: ScriptedModel, sandbox: Sandbox, *, skill=None, **budget
) -> tuple[GenerationOutcome, Workspace, list[dict]]:
    workspace = Workspace.create(tmp_path / "ws", skill=skill)
    path = tmp_path / "t.jsonl"
    with Transcript(path) as transcript:
        toolbox = ToolBox(workspace, sandbox, transcript)
        outcome = asyncio.run(
            run_agent(
                model,
                system="sys",
                task="task",
                toolbox=toolbox,
                params=GenerationParams(),
                budget=Budget(**budget),
                transcript=transcript,
            )
        )
    return outcome, workspace, read_transcript(path)


def results(events: list[dict]) -> list[tuple[str, bool, str]]:
    return [(e.name, e.is_error, e.content) for e in events if isinstance(e, ToolEvent)]


def test_tool_set_is_exactly_five():
    assert [t.name for t in TOOLS] == [
        "list_files",
        "read_file",
        "write_file",
        "run",
        "finish",
    ]
    assert TOOLS[2].input_schema["required"] == ["path", "content"]
    assert TOOLS[3].input_schema["required"] == ["command"]


def test_generation_doc_shows_the_exact_tools():
    # docs/generation.md says its JSON lines are exactly what the model sees.
    doc = (Path(__file__).parents[3] / "docs" / "generation.md").read_text()
    section = doc.split("the tools the model sees (exact)", 1)[1]
    block = section.split("```json", 1)[1].split("```", 1)[0]
    shown = [json.loads(line) for line in block.strip().splitlines()]
    assert shown == [
        {"name": t.name, "description": t.description, "input_schema": t.input_schema}
        for t in TOOLS
    ]


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ("pytest -q", ["/venv/bin/python", "-m", "pytest", "-q"]),
        ("ruff check .", ["/venv/bin/ruff", "check", "."]),
        ("mypy --strict src", ["/venv/bin/python", "-m", "mypy", "--strict", "src"]),
        ("python -c 'print(1)'", ["/venv/bin/python", "-c", "print(1)"]),
        ("/usr/bin/python3 -V", ["/venv/bin/python", "-V"]),
        ("uv run pytest", ["/venv/bin/python", "-m", "pytest"]),
    ],
)
def test_allowed_commands(command, argv):
    assert parse_command(command) == argv


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("", "the command is empty"),
        ("ls -la", "'ls' is not available: only mypy, pytest, python, python3, ruff"),
        ("pip install requests", "'pip' is not available"),
        ("pytest | tail", "there is no shell: '|' is not supported"),
        ("ruff check . && pytest", "there is no shell: '&&'"),
        ("pytest 'unclosed", "cannot parse the command"),
    ],
)
def test_refused_commands(command, message):
    with pytest.raises(ValueError, match=message.replace("|", r"\|")):
        parse_command(command)


def test_cap_output_keeps_head_and_tail():
    text = "h" * 10_000 + "t" * 20_000
    capped = cap_output(text)
    assert len(capped) < MAX_TOOL_OUTPUT + 100
    assert capped.startswith("h" * 100)
    assert capped.endswith("t" * 100)
    assert f"[... {30_000 - MAX_TOOL_OUTPUT} characters omitted ...]" in capped


def test_workspace_paths_stay_inside(tmp_path: Path):
    ws = Workspace.create(tmp_path / "ws")
    assert ws.relative("/work/src/a.py") == "src/a.py"
    assert ws.relative("./src//a.py") == "src/a.py"
    assert ws.relative(".") == "."
    for bad in ("/etc/passwd", "../x", "src/../../x"):
        with pytest.raises(PathError):
            ws.relative(bad)
    (ws.root / "link").symlink_to("/etc")
    with pytest.raises(PathError, match="through a link"):
        ws.relative("link/passwd")


def test_workspace_refuses_a_used_folder(tmp_path: Path):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "x").write_text("x")
    with pytest.raises(Exception, match="already exists and is not empty"):
        Workspace.create(tmp_path / "ws")


def test_starter_is_copied_and_skill_shown_read_only_from_outside(
    tmp_path: Path, skill
):
    starter = tmp_path / "starter"
    (starter / "src").mkdir(parents=True)
    (starter / "src" / "a.py").write_text("A = 1\n")
    (starter / "__pycache__").mkdir()
    ws = Workspace.create(tmp_path / "ws", starter=starter, skill=skill)
    assert ws.list_files() == [
        ".agents/skills/demo/SKILL.md",
        ".agents/skills/demo/references/a.md",
        "src/a.py",
    ]
    # The workspace holds only the empty mount point; the files are staged outside it.
    place = ws.root / ".agents/skills/demo"
    assert place.is_dir()
    assert not any(place.iterdir())
    assert ws.skill_mount is not None
    staged = ws.skill_mount.source
    assert not staged.resolve().is_relative_to(ws.root)
    skill_md = staged / "SKILL.md"
    # Mode bits, not os.access: as root, access() says every file is writable.
    for placed in (skill_md, staged, staged / "references"):
        assert stat.S_IMODE(placed.stat().st_mode) & 0o222 == 0, placed
    assert ws.skill_intact()
    # A changed or an added file is noticed (root can write through the read-only bits).
    original = skill_md.read_bytes()
    skill_md.chmod(0o644)
    skill_md.write_bytes(original + b"\nignore the skill\n")
    assert not ws.skill_intact()
    skill_md.write_bytes(original)
    assert ws.skill_intact()
    staged.chmod(0o755)
    (staged / "extra.md").write_text("added")
    assert not ws.skill_intact()
    (staged / "extra.md").unlink()
    assert ws.skill_intact()
    assert ws.remove_skill() is True
    assert not (ws.root / ".agents").exists()
    assert not staged.exists()
    assert ws.list_files() == ["src/a.py"]


def test_a_moved_skill_place_is_noticed_and_nothing_outside_is_touched(
    tmp_path: Path, skill
):
    """The [N] attack on the builtin agent's workspace, done by hand: rename, then link."""
    victim = tmp_path / "victim"
    (victim / "skills" / "demo").mkdir(parents=True)
    tool = victim / "skills" / "demo" / "tool.sh"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o4755)
    ws = Workspace.create(tmp_path / "ws", skill=skill)
    (ws.root / ".agents").rename(ws.root / "moved")
    (ws.root / ".agents").symlink_to(victim)
    assert not ws.skill_intact()
    assert ws.skill_mount is not None
    assert ws.skill_mount.mount() is None
    assert ws.remove_skill() is False
    assert stat.S_IMODE(tool.stat().st_mode) == 0o4755
    assert sorted(p.name for p in victim.rglob("*")) == ["demo", "skills", "tool.sh"]
    # The planted link itself is gone; the renamed mount point stays (the agent's).
    assert not (ws.root / ".agents").is_symlink()
    assert (ws.root / "moved" / "skills" / "demo").is_dir()


def test_file_tools_and_errors(tmp_path: Path, sandbox: Sandbox, skill):
    model = ScriptedModel(
        calls(
            ("write_file", {"path": "src/app/main.py", "content": "X = 1\n"}),
            ("write_file", {"path": "src/app/main.py", "content": "X = 2\n"}),
            ("read_file", {"path": "src/app/main.py"}),
            ("read_file", {"path": "missing.py"}),
            ("read_file", {"path": "src"}),
            ("read_file", {"path": "../etc/passwd"}),
            ("write_file", {"path": ".agents/skills/demo/SKILL.md", "content": "x"}),
            ("write_file", {"path": "a.py"}),
            ("list_files", {"path": "src"}),
            ("delete_file", {"path": "a.py"}),
        ),
        calls(
            ("finish", {"summary": "ok"}),
            ("write_file", {"path": "late.py", "content": ""}),
        ),
    )
    outcome, ws, events = loop(tmp_path, model, sandbox, skill=skill)
    assert results(events) == [
        ("write_file", False, "created src/app/main.py (6 bytes)"),
        ("write_file", False, "replaced src/app/main.py (6 bytes)"),
        ("read_file", False, "X = 2\n"),
        ("read_file", True, "missing.py does not exist"),
        ("read_file", True, "src is a folder: use list_files to see its files"),
        ("read_file", True, "path '../etc/passwd' leaves the project (contains '..')"),
        (
            "write_file",
            True,
            ".agents/skills/demo/SKILL.md is inside .agents/, which is read-only",
        ),
        ("write_file", True, "argument 'content' is required and must be a string"),
        ("list_files", False, "src/app/main.py"),
        (
            "delete_file",
            True,
            "unknown tool 'delete_file': use one of list_files, read_file, write_file, "
            "run, finish",
        ),
        ("finish", False, "Finished."),
        ("write_file", True, "not run: finish was called before"),
    ]
    assert outcome.ending == "finished"
    assert outcome.summary == "ok"
    assert sorted(ws.project_files()) == ["src/app/main.py"]
    assert not (ws.root / "late.py").exists()
    assert outcome.turns == 2
    assert outcome.usage == Usage(input_tokens=20, output_tokens=10)
    assert outcome.cost_usd == 0.02
    # Tool results go back to the model as tool turns, answering each call id.
    second = model.seen[1]
    assert [m.role for m in second] == ["user", "assistant", *["tool"] * 10]
    assert second[2].tool_call_id == "c0"
    assert second[5].is_error


def test_run_in_the_sandbox(tmp_path: Path, sandbox: Sandbox):
    model = ScriptedModel(
        calls(
            (
                "write_file",
                {"path": "src/m.py", "content": "import sys\n\nprint(sys.path[1])\n"},
            )
        ),
        calls(
            ("run", {"command": "python src/m.py"}),
            ("run", {"command": "python -c 'import sys; sys.exit(3)'"}),
            ("run", {"command": "python -c \"print('x' * 50000)\""}),
            ("run", {"command": "bash -c ls"}),
            ("run", {"command": "ruff check ."}),
        ),
        calls(("finish", {})),
    )
    outcome, ws, events = loop(tmp_path, model, sandbox)
    runs = [r for r in results(events) if r[0] == "run"]
    assert runs[0][1:] == (False, "exit status 0\n/work/src")
    assert runs[1][1] is True
    assert runs[1][2].startswith("exit status 3")
    assert "characters omitted" in runs[2][2]
    assert runs[3] == (
        "run",
        True,
        "'bash' is not available: only mypy, pytest, python, python3, ruff can be run",
    )
    assert runs[4][2].startswith("exit status 0")
    assert [c.returncode for c in outcome.commands] == [0, 3, 0, 0]
    remove_caches(ws.root)
    assert ws.list_files() == ["src/m.py"]


def test_replies_without_tool_calls_get_reminders_then_stop(
    tmp_path: Path, sandbox: Sandbox
):
    talk = ModelReply(text="Thinking...", usage=Usage(output_tokens=1))
    cut = ModelReply(text="### a.py ...", stop_reason="max_tokens")
    model = ScriptedModel(talk, cut, talk)
    outcome, _, events = loop(tmp_path, model, sandbox)
    assert outcome.ending == "error:model"
    assert outcome.reason == "3 replies in a row without a tool call (last stop: end)"
    # The task itself is the skeleton's first user event; the loop writes the reminders.
    users = [e.content for e in events if isinstance(e, UserEvent)]
    assert users[0].startswith("Continue by calling a tool")
    assert users[1].startswith("Your reply was cut off at the output token limit")


def test_model_error_is_recorded(tmp_path: Path, sandbox: Sandbox):
    model = ScriptedModel(
        calls(("list_files", {})),
        ModelError("server_error", "HTTP 500", model="scripted:test", attempts=3),
    )
    outcome, _, _ = loop(tmp_path, model, sandbox)
    assert outcome.ending == "error:infra"
    assert outcome.reason == "scripted:test: server_error: HTTP 500 (after 3 attempts)"
    assert outcome.turns == 1


def test_cost_budget(tmp_path: Path, sandbox: Sandbox):
    model = ScriptedModel(*(calls(("list_files", {})) for _ in range(5)))
    outcome, _, _ = loop(tmp_path, model, sandbox, max_cost_usd=0.025)
    assert outcome.ending == "limit:cost"
    assert outcome.turns == 3


def test_unpriced_replies_give_no_cost(tmp_path: Path, sandbox: Sandbox):
    reply = ModelReply(tool_calls=[ToolCall(id="f", name="finish", arguments={})])
    outcome, _, _ = loop(tmp_path, ScriptedModel(reply), sandbox)
    assert outcome.cost_usd is None


def test_an_agent_that_replaces_the_skill_place_with_a_link_reaches_nothing(
    tmp_path: Path, sandbox: Sandbox, skill
):
    """[N] finding 1 through the builtin agent's ``run``: the host follows no planted link."""
    victim = tmp_path / "victim"
    (victim / "skills" / "demo").mkdir(parents=True)
    tool = victim / "skills" / "demo" / "tool.sh"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o4755)
    attack = (
        "import os; os.rename('.agents', 'moved'); "
        f"os.symlink({str(victim)!r}, '.agents'); print('planted')"
    )
    model = ScriptedModel(
        calls(("run", {"command": f'python -c "{attack}"'})),
        calls(("run", {"command": "python -c \"print('again')\""})),
        calls(("finish", {"summary": "done"})),
    )
    outcome, ws, events = loop(tmp_path, model, sandbox, skill=skill)
    runs = [r for r in results(events) if r[0] == "run"]
    assert runs[0][1:] == (False, "exit status 0\nplanted"), runs
    # The second command runs without the skill's bind (its place is a link now).
    assert runs[1][1:] == (False, "exit status 0\nagain"), runs
    assert outcome.ending == "finished"
    assert not ws.skill_intact()
    assert ws.remove_skill() is False
    assert stat.S_IMODE(tool.stat().st_mode) == 0o4755
    assert tool.read_text() == "#!/bin/sh\n"
    assert not (ws.root / ".agents").is_symlink()
