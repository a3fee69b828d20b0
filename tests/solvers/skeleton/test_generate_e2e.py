"""End to end: the real SDKs against the fake server, through harness.solvers."""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fake_llm import FakeError, FakeLLM, FakeReply
from gen_support import (
    BOOKMARKS,
    LAYOUT_MD,
    MINI,
    ROOT,
    SKILL_MD,
    make_task,
    project_files,
)
from solve_one import solve_one

from harness.errors import UsageError
from harness.models.base import GenerationParams, Model
from harness.models.budget import Budget
from harness.models.registry import load_model
from harness.models.retry import RetryPolicy
from harness.prompts import format_reply
from harness.run.layout import RunLayout
from harness.run.spec import SampleSpec
from harness.run.store import RunStore
from harness.sandbox import Sandbox
from harness.scoring.scorer import score_project
from harness.solvers import GenerationRecord
from harness.solvers.workspace import skill_files_in
from harness.tasks.loader import Task
from harness.transcript import ToolEvent, read_transcript
from harness.variants import Delivery, resolve_variant

MINI_FILES = project_files(MINI / "project")


def anthropic(fake: FakeLLM) -> Model:
    return load_model(
        "anthropic:claude-test", base_url=fake.anthropic_base_url, api_key="k"
    )


def openai(fake: FakeLLM) -> Model:
    return load_model("openai:gpt-test", base_url=fake.openai_base_url, api_key="k")


def run(
    task: Task,
    out: Path,
    model: Model,
    *,
    spec: str = "anthropic:claude-test",
    variant: str = "none",
    delivery: Delivery = Delivery.inline,
    mode: str = "oneshot",
    sandbox: Sandbox | None = None,
    budget: Budget | None = None,
) -> GenerationRecord:
    async def go() -> GenerationRecord:
        try:
            return await solve_one(
                task,
                resolve_variant(variant),
                model=model,
                model_spec=spec,
                solver="oneshot" if mode == "oneshot" else "loop",
                delivery=delivery,
                epoch=0,
                workspace_dir=out / "workspace",
                transcript_path=out / "transcript.jsonl",
                params=GenerationParams(max_tokens=4000),
                budget=budget,
                sandbox=sandbox,
            )
        finally:
            await model.aclose()

    return asyncio.run(go())


def tool_events(out: Path) -> list[ToolEvent]:
    return [
        e for e in read_transcript(out / "transcript.jsonl") if isinstance(e, ToolEvent)
    ]


def stored_sample(out: Path, task: Task, epoch: int = 0, arm: str = "none") -> Path:
    """The workspace of a sample `harness generate --out OUT` wrote."""
    return RunLayout(out).workspace(
        SampleSpec(
            task=task.id, arm=arm, variant_spec=arm, delivery="none",
            solver="oneshot", model="m", epoch=epoch,
        )
    )  # fmt: skip


def stored_record(out: Path, task: Task, epoch: int = 0) -> GenerationRecord:
    record = RunStore(RunLayout(out)).samples()[0]
    assert (record.spec.task, record.spec.epoch) == (task.id, epoch)
    assert record.generation is not None
    return record.generation


# One-shot ------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_oneshot_reply_becomes_the_project(
    fake: FakeLLM, task: Task, tmp_path: Path, provider: str
):
    reply = "Here is the project.\n\n" + format_reply(MINI_FILES) + "\nDone.\n"
    fake.script(FakeReply(text=reply, input_tokens=120, output_tokens=900))
    model = anthropic(fake) if provider == "anthropic" else openai(fake)

    record = run(task, tmp_path / "out", model, spec=f"{provider}:x")

    assert record.ending == "finished"
    assert record.ok
    assert project_files(tmp_path / "out" / "workspace") == MINI_FILES
    assert record.files == sorted(MINI_FILES)
    assert record.usage.input_tokens + record.usage.cache_read_tokens == 120
    assert record.usage.output_tokens == 900
    assert record.turns == 1
    assert record.prompt_version.startswith("1+")
    # The model was told the format and the task, with the contract appended.
    body = fake.requests[0].body
    system = json.dumps(body.get("system") or body["messages"][0])
    assert "### src/app/main.py" in system
    assert "Reply with every file" in system
    user = json.dumps(body["messages"])
    assert "GET /health" in user
    assert "Declare `[tool.fastapi] entrypoint`" in user
    assert not body.get("tools")
    events = read_transcript(tmp_path / "out" / "transcript.jsonl")
    assert [e.type for e in events] == ["start", "user", "reply", "files", "end"]
    assert events[2].reply.text == reply
    saved = GenerationRecord.model_validate_json(record.model_dump_json())
    assert saved == record


def test_malformed_oneshot_reply_is_reported_precisely(
    fake: FakeLLM, task: Task, tmp_path: Path
):
    fake.script(FakeReply(text="Sure!\n```python\nfrom fastapi import FastAPI\n```\n"))
    record = run(task, tmp_path / "out", anthropic(fake))

    assert record.ending == "error:model"
    assert not record.ok
    assert record.files == []
    assert "name no file" in (record.reason or "")
    assert "line 2" in (record.reason or "")
    [problem] = record.parse_problems
    assert problem.line == 2
    problems = [
        e
        for e in read_transcript(tmp_path / "out" / "transcript.jsonl")
        if e.type == "problem"
    ]
    assert problems[0].line == 2


def test_truncated_oneshot_reply_keeps_complete_files(
    fake: FakeLLM, task: Task, tmp_path: Path
):
    text = (
        '### pyproject.toml\n```toml\n[project]\nname = "x"\n```\n\n'
        "### src/app/main.py\n```python\nfrom fastapi import"
    )
    fake.script(FakeReply(text=text, stop="max_tokens"))
    record = run(task, tmp_path / "out", openai(fake), spec="openai:x")

    assert record.ending == "limit:output"
    assert record.files == ["pyproject.toml"]
    assert [str(p) for p in record.parse_problems] == [
        "line 8: the block for src/app/main.py is never closed (no closing fence "
        "before the end of the reply: truncated?); the file was dropped"
    ]
    assert "cut at the output token limit" in (record.reason or "")


def test_inline_delivery_puts_the_body_in_the_system_prompt(
    fake: FakeLLM, task: Task, tmp_path: Path, skill_dir: Path
):
    fake.script(FakeReply(text=format_reply(MINI_FILES)))
    run(task, tmp_path / "out", anthropic(fake), variant=f"path:{skill_dir}")

    system = json.dumps(fake.requests[0].body["system"])
    assert "Always read [the layout guide]" in system
    assert "<available_skills>" not in system
    start = read_transcript(tmp_path / "out" / "transcript.jsonl")[0]
    assert start.type == "start"
    assert (start.delivery, start.arm, start.solver) == (
        "inline",
        "tiny-fastapi",
        "oneshot",
    )
    assert start.variant_hash == resolve_variant(f"path:{skill_dir}").content_hash
    # One-shot has no tools: nothing of the skill lands in the project.
    assert skill_files_in(tmp_path / "out" / "workspace") == []


def test_on_demand_needs_a_solver_with_tools(
    task: Task, tmp_path: Path, skill_dir: Path
):
    with pytest.raises(
        UsageError, match=r"cannot deliver a skill on-demand.*--solver loop"
    ):
        run(
            task,
            tmp_path / "out",
            load_model("reference", reference_dir=task.reference_dir),
            spec="reference",
            variant=f"path:{skill_dir}",
            delivery=Delivery.on_demand,
        )


# Agent ---------------------------------------------------------------------------------


def write_calls(files: dict[str, str]) -> list[tuple[str, dict]]:
    return [("write_file", {"path": p, "content": c}) for p, c in files.items()]


@pytest.mark.slow
@pytest.mark.parametrize("provider", ["anthropic", "openai"])
def test_agent_loop_builds_a_project_that_scores(
    fake: FakeLLM,
    task: Task,
    tmp_path: Path,
    sandbox: Sandbox,
    environment,
    provider: str,
):
    fake.script(
        FakeReply(text="Let me look first.", tool_calls=[("list_files", {})]),
        FakeReply(tool_calls=write_calls(MINI_FILES)),
        FakeReply(tool_calls=[("run", {"command": "pytest -q"})]),
        FakeReply(tool_calls=[("run", {"command": "ruff format --check ."})]),
        FakeReply(text="All good.", tool_calls=[("finish", {"summary": "built"})]),
    )
    model = anthropic(fake) if provider == "anthropic" else openai(fake)
    out = tmp_path / "out"

    record = run(task, out, model, spec=f"{provider}:x", mode="agent", sandbox=sandbox)

    assert record.ending == "finished", record.reason
    assert record.turns == 5
    assert record.summary == "built"
    assert record.usage.output_tokens == 5 * 7
    assert [c.command for c in record.commands] == [
        "pytest -q",
        "ruff format --check .",
    ]
    assert [c.returncode for c in record.commands] == [0, 0]
    events = tool_events(out)
    assert [e.name for e in events] == [
        "list_files",
        *["write_file"] * len(MINI_FILES),
        "run",
        "run",
        "finish",
    ]
    assert events[0].content == "(no files)"
    pytest_result = events[1 + len(MINI_FILES)]
    assert pytest_result.content.startswith("exit status 0")
    assert "passed" in pytest_result.content
    # The tool result went back to the model in the provider's wire format.
    fourth = json.dumps(fake.requests[3].body["messages"])
    assert "passed" in fourth
    tools = fake.requests[0].body["tools"]
    names = [t.get("name") or t["function"]["name"] for t in tools]
    assert names == ["list_files", "read_file", "write_file", "run", "finish"]
    assert project_files(out / "workspace").keys() >= MINI_FILES.keys()
    assert record.files == sorted(MINI_FILES)

    score = score_project(
        out / "workspace",
        sandbox=sandbox,
        environment=environment,
        checks=["ruff", "format"],
    )
    assert [c.status for c in score.checks] == ["pass", "pass"]
    assert score.overall == 1.0


def test_budget_exhausted_mid_loop_is_recorded(
    fake: FakeLLM, tmp_path: Path, sandbox: Sandbox
):
    # Each fake reply costs 11 + 7 = 18 tokens: the third call is over 30.
    task = make_task(tmp_path, tokens=30)
    fake.script(
        FakeReply(tool_calls=[("write_file", {"path": "a.py", "content": "A = 1\n"})]),
        FakeReply(tool_calls=[("write_file", {"path": "b.py", "content": "B = 2\n"})]),
        FakeReply(tool_calls=[("finish", {})]),
    )
    out = tmp_path / "out"
    record = run(task, out, anthropic(fake), mode="agent", sandbox=sandbox)

    assert record.ending == "limit:tokens"
    assert not record.ok
    assert record.reason == "budget exhausted: tokens: 36 of 30 tokens"
    assert record.turns == 2
    assert record.files == ["a.py", "b.py"]
    assert fake.pending == 1  # the third reply was never asked for
    end = read_transcript(out / "transcript.jsonl")[-1]
    assert end.type == "end"
    assert end.ending == "limit:tokens"


def test_turn_and_time_budgets(fake: FakeLLM, tmp_path: Path, sandbox: Sandbox):
    task = make_task(tmp_path, turns=1)
    fake.script(FakeReply(tool_calls=[("list_files", {})]), FakeReply(text="x"))
    record = run(task, tmp_path / "a", anthropic(fake), mode="agent", sandbox=sandbox)
    assert record.ending == "limit:turns"
    assert record.reason == "budget exhausted: turns: 1 of 1 turns"

    fake.reset()
    fake.script(FakeReply(text="slow", delay_s=3))
    record = run(
        task,
        tmp_path / "b",
        anthropic(fake),
        mode="agent",
        sandbox=sandbox,
        budget=Budget(max_wall_s=0.5),
    )
    assert record.ending == "limit:time"
    assert record.wall_s < 2.5


def test_on_demand_delivery_records_skill_reads(
    fake: FakeLLM, task: Task, tmp_path: Path, sandbox: Sandbox, skill_dir: Path
):
    where = ".agents/skills/tiny-fastapi"
    fake.script(
        FakeReply(tool_calls=[("list_files", {"path": ".agents"})]),
        FakeReply(tool_calls=[("read_file", {"path": f"{where}/SKILL.md"})]),
        FakeReply(
            tool_calls=[
                ("read_file", {"path": f"{where}/references/layout.md"}),
                ("write_file", {"path": f"{where}/SKILL.md", "content": "mine"}),
                ("run", {"command": f"python -c \"open('{where}/SKILL.md', 'w')\""}),
            ]
        ),
        FakeReply(tool_calls=write_calls(MINI_FILES)),
        FakeReply(tool_calls=[("finish", {})]),
    )
    out = tmp_path / "out"
    record = run(
        task,
        out,
        anthropic(fake),
        mode="agent",
        sandbox=sandbox,
        variant=f"path:{skill_dir}",
        delivery=Delivery.on_demand,
    )

    assert record.ending == "finished", record.reason
    system = json.dumps(fake.requests[0].body["system"])
    assert "<available_skills>" in system
    assert f"<location>{where}/SKILL.md</location>" in system
    assert "Conventions for small FastAPI services" in system
    assert "Always read [the layout guide]" not in system  # the body is not inlined
    start = read_transcript(tmp_path / "out" / "transcript.jsonl")[0]
    assert start.type == "start"
    assert start.delivery == "on-demand"
    assert record.skill_md_opened is True
    assert record.skill_md_turn == 2
    assert record.references_opened == ["references/layout.md"]
    assert [(t.turn, t.path, t.kind, t.via) for t in record.triggers] == [
        (2, "SKILL.md", "skill_md", "read_file"),
        (3, "references/layout.md", "reference", "read_file"),
        (3, "SKILL.md", "skill_md", "run"),
    ]
    events = tool_events(out)
    assert events[0].content.splitlines() == [
        f"{where}/SKILL.md",
        f"{where}/references/layout.md",
    ]
    assert events[1].content == SKILL_MD
    assert events[2].content == LAYOUT_MD
    assert events[3].is_error
    assert "read-only" in events[3].content
    assert events[4].is_error  # the sandbox's read-only mount refused the write
    assert "Read-only file system" in events[4].content
    assert record.skill_intact is True
    # The scored project holds only what the model wrote.
    assert not (out / "workspace" / ".agents").exists()
    assert record.files == sorted(MINI_FILES)


def test_on_demand_skill_never_opened(
    fake: FakeLLM, task: Task, tmp_path: Path, sandbox: Sandbox, skill_dir: Path
):
    fake.script(FakeReply(tool_calls=[("finish", {})]))
    record = run(
        task,
        tmp_path / "out",
        anthropic(fake),
        mode="agent",
        sandbox=sandbox,
        variant=f"path:{skill_dir}",
        delivery=Delivery.on_demand,
    )
    assert record.skill_md_opened is False
    assert record.skill_md_turn is None
    assert record.triggers == []


def test_baseline_workspace_holds_no_skill(
    fake: FakeLLM, task: Task, tmp_path: Path, sandbox: Sandbox, skill_dir: Path
):
    fake.script(
        FakeReply(tool_calls=[("list_files", {})]),
        FakeReply(tool_calls=[("read_file", {"path": ".agents/skills/x/SKILL.md"})]),
        FakeReply(tool_calls=[("finish", {})]),
    )
    out = tmp_path / "out"
    record = run(task, out, anthropic(fake), mode="agent", sandbox=sandbox)

    start = read_transcript(out / "transcript.jsonl")[0]
    assert start.type == "start"
    assert (start.arm, start.variant_hash, start.delivery) == ("none", "none", "none")
    assert record.baseline_clean is True
    assert record.skill_md_opened is None
    events = tool_events(out)
    assert events[0].content == "(no files)"
    assert events[1].is_error
    system = json.dumps(fake.requests[0].body["system"])
    assert "Skill" not in system
    assert "tiny-fastapi" not in system
    skill = resolve_variant(f"path:{skill_dir}").skill
    assert skill_files_in(out / "workspace", [skill]) == []
    # The check is not vacuous: a planted copy of a skill file is found.
    (out / "workspace" / "notes.md").write_text(LAYOUT_MD, encoding="utf-8")
    assert skill_files_in(out / "workspace", [skill]) == ["notes.md"]


# Reference ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["oneshot", "agent"])
def test_reference_model_produces_the_gold_project(
    tmp_path: Path, sandbox: Sandbox, environment, mode: str
):
    task = make_task(tmp_path, reference=BOOKMARKS / "project")
    out = tmp_path / "out"
    model = load_model("reference", reference_dir=task.reference_dir)
    record = run(task, out, model, spec="reference", mode=mode, sandbox=sandbox)

    assert record.ok, record.reason
    assert record.ending == "finished"
    assert record.cost_usd == 0.0
    gold = project_files(BOOKMARKS / "project")
    assert project_files(out / "workspace") == gold
    assert record.files == sorted(gold)
    score = score_project(
        out / "workspace", sandbox=sandbox, environment=environment,
        checks=["ruff", "format"],
    )  # fmt: skip
    assert score.overall == 1.0


# The command ----------------------------------------------------------------------------


@pytest.mark.slow
def test_generate_command_against_an_openai_compatible_server(
    fake: FakeLLM, task: Task, tmp_path: Path
):
    fake.script(FakeReply(text=format_reply(MINI_FILES)))
    out = tmp_path / "gen"
    env = {
        **os.environ,
        "OPENAI_API_KEY": "k",
        "HARNESS_CACHE_DIR": str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [
            sys.executable, "-m", "harness", "generate",
            "--task", str(task.root), "--model", "openai:local-model",
            "--base-url", fake.openai_base_url, "--out", str(out), "--epoch", "2",
            "--temperature", "0.2", "--seed", "7",
        ],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "finished" in done.stdout
    workspace = stored_sample(out, task, 2)
    assert f"harness score {workspace}" in done.stdout.replace("\n", "")
    stored_record(out, task, 2)
    store = RunStore(RunLayout(out))
    assert store.samples()[0].spec.model == "openai:local-model"
    assert store.manifest().params["temperature"] == 0.2
    assert fake.requests[0].body["seed"] == 7
    assert project_files(workspace) == MINI_FILES

    # The same request in the same epoch is answered from the response cache.
    cached = subprocess.run(
        [
            sys.executable, "-m", "harness", "generate",
            "--task", str(task.root), "--model", "openai:local-model",
            "--base-url", fake.openai_base_url, "--out", str(tmp_path / "gen2"),
            "--epoch", "2", "--temperature", "0.2", "--seed", "7",
        ],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert cached.returncode == 0, cached.stderr
    assert "cache: 1 reply(ies) served from the cache" in cached.stdout
    assert len(fake.requests) == 1
    assert project_files(stored_sample(tmp_path / "gen2", task, 2)) == MINI_FILES
    assert stored_record(tmp_path / "gen2", task, 2).cached_replies == 1

    again = subprocess.run(
        [sys.executable, "-m", "harness", "generate", "--task", str(task.root),
         "--model", "openai:local-model", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert again.returncode == 2
    assert "already holds a run" in again.stderr


@pytest.mark.slow
def test_generate_command_reference_agent(task: Task, tmp_path: Path):
    out = tmp_path / "ref"
    done = subprocess.run(
        [sys.executable, "-m", "harness", "generate", "--task", str(task.root),
         "--model", "reference", "--mode", "agent", "--out", str(out)],
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "finished" in done.stdout
    assert project_files(stored_sample(out, task)) == MINI_FILES
    events = read_transcript(RunLayout(out).transcript_of(task.id, "none", 0))
    assert [e.name for e in events if isinstance(e, ToolEvent)] == [
        *["write_file"] * len(MINI_FILES),
        "finish",
    ]


@pytest.mark.slow
def test_generate_command_usage_errors(task: Task, tmp_path: Path, skill_dir: Path):
    cases = [
        (["--task", "no/such/dir", "--model", "reference"], "no such folder"),
        (["--task", str(task.root), "--model", "gpt4"], "unknown model 'gpt4'"),
        (
            ["--task", str(task.root), "--model", "reference", "--variant", "oops"],
            "unknown variant 'oops'",
        ),
        (
            ["--task", str(task.root), "--model", "reference",
             "--variant", f"path:{skill_dir}", "--delivery", "on-demand"],
            "--solver oneshot cannot deliver a skill on-demand",
        ),
    ]  # fmt: skip
    for args, message in cases:
        done = subprocess.run(
            [sys.executable, "-m", "harness", "generate", *args,
             "--out", str(tmp_path / "x")],
            capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
        )  # fmt: skip
        assert done.returncode == 2, (args, done.stderr)
        assert message in done.stderr
        assert "Traceback" not in done.stderr


def test_replay_of_a_stored_agent_transcript(
    fake: FakeLLM, task: Task, tmp_path: Path, sandbox: Sandbox
):
    fake.script(
        FakeReply(tool_calls=write_calls(MINI_FILES)),
        FakeReply(tool_calls=[("finish", {"summary": "s"})]),
    )
    first = run(task, tmp_path / "a", anthropic(fake), mode="agent", sandbox=sandbox)
    replay = load_model("replay:r1", transcript=tmp_path / "a" / "transcript.jsonl")
    second = run(
        task, tmp_path / "b", replay, spec="replay:r1", mode="agent", sandbox=sandbox
    )

    assert second.ending == first.ending == "finished"
    assert second.cached_replies == 2
    assert second.usage == first.usage
    assert project_files(tmp_path / "b" / "workspace") == MINI_FILES


def test_inline_delivery_in_agent_mode_keeps_references_readable(
    fake: FakeLLM, task: Task, tmp_path: Path, sandbox: Sandbox, skill_dir: Path
):
    fake.script(
        FakeReply(
            tool_calls=[
                (
                    "read_file",
                    {"path": ".agents/skills/tiny-fastapi/references/layout.md"},
                )
            ]
        ),
        FakeReply(tool_calls=[("finish", {})]),
    )
    out = tmp_path / "out"
    record = run(
        task,
        out,
        anthropic(fake),
        mode="agent",
        sandbox=sandbox,
        variant=f"path:{skill_dir}",
    )
    system = json.dumps(fake.requests[0].body["system"])
    assert "Always read [the layout guide]" in system
    assert "Its other files are in `.agents/skills/tiny-fastapi/` (read-only)" in system
    assert tool_events(out)[0].content == LAYOUT_MD
    assert record.skill_md_opened is False  # the body was given, not opened
    assert record.references_opened == ["references/layout.md"]
    assert not (out / "workspace" / ".agents").exists()


def test_starter_is_shown_in_oneshot_and_kept_unless_replaced(
    fake: FakeLLM, tmp_path: Path
):
    starter = {"src/app/main.py": "OLD = 1\n", "src/app/keep.py": "KEEP = 1\n"}
    task = make_task(tmp_path, starter=starter)
    fake.script(FakeReply(text="### src/app/main.py\n```python\nNEW = 2\n```\n"))
    out = tmp_path / "out"
    record = run(task, out, anthropic(fake))

    user = json.dumps(fake.requests[0].body["messages"])
    assert "## The existing project" in user
    assert "### src/app/keep.py" in user
    assert "repeat only when you change them" in json.dumps(
        fake.requests[0].body["system"]
    )
    assert project_files(out / "workspace") == {
        "src/app/main.py": "NEW = 2\n",
        "src/app/keep.py": "KEEP = 1\n",
    }
    assert record.files == ["src/app/keep.py", "src/app/main.py"]


def test_starter_in_agent_mode_is_in_the_workspace(
    fake: FakeLLM, tmp_path: Path, sandbox: Sandbox
):
    task = make_task(tmp_path, starter={"src/app/main.py": "OLD = 1\n"})
    fake.script(
        FakeReply(tool_calls=[("list_files", {})]),
        FakeReply(tool_calls=[("finish", {})]),
    )
    out = tmp_path / "out"
    run(task, out, anthropic(fake), mode="agent", sandbox=sandbox)
    user = json.dumps(fake.requests[0].body["messages"])
    assert "explore it with `list_files`" in user
    assert "OLD = 1" not in user
    assert tool_events(out)[0].content == "src/app/main.py"


def test_server_errors_until_retries_run_out_are_a_recorded_failure(
    fake: FakeLLM, task: Task, tmp_path: Path, sandbox: Sandbox
):
    fake.script(*[FakeError(503, "upstream down") for _ in range(3)])
    model = load_model(
        "openai:gpt-test",
        base_url=fake.openai_base_url,
        api_key="k",
        sdk_max_retries=0,
        retry=RetryPolicy(max_attempts=3, base_s=0.01, max_s=0.02),
    )
    out = tmp_path / "out"
    record = run(
        task, out, model, spec="openai:gpt-test", mode="agent", sandbox=sandbox
    )

    assert record.ending == "error:infra"
    assert not record.ok
    assert "server_error" in (record.reason or "")
    assert "after 3 attempts" in (record.reason or "")
    assert record.turns == 0
    assert len(fake.requests) == 3
    assert read_transcript(out / "transcript.jsonl")[-1].ending == "error:infra"
    assert record.cost_usd is None  # gpt-test has no price: unknown, not $0


@pytest.mark.parametrize(
    ("spec", "cost"), [("openai:gpt-test", None), ("openai:gpt-4.1", 0.0)]
)
def test_a_failed_call_costs_nothing_only_when_the_model_has_a_price(
    fake: FakeLLM, task: Task, tmp_path: Path, spec: str, cost: float | None
):
    fake.script(FakeError(400, "bad request"))
    model = load_model(spec, base_url=fake.openai_base_url, api_key="k")
    record = run(task, tmp_path / "out", model, spec=spec)
    assert record.ending == "error:infra"
    assert record.cost_usd == cost


class BrokenModel:
    name = "broken:test"
    priced = True

    async def complete(self, *_args, **_kwargs):
        raise RuntimeError("boom")

    async def aclose(self) -> None:
        return None


def test_a_crash_during_generation_is_a_recorded_failure(task: Task, tmp_path: Path):
    out = tmp_path / "out"
    record = run(task, out, BrokenModel(), spec="broken:test")  # type: ignore[arg-type]
    assert record.ending == "error:infra"
    assert record.reason == "internal error while generating: RuntimeError: boom"
    assert record.error is not None
    assert record.error.traceback is not None
    assert "RuntimeError: boom" in record.error.traceback
    assert "Traceback (most recent call last)" in record.error.traceback
    assert (out / "workspace").is_dir()
    end = read_transcript(out / "transcript.jsonl")[-1]
    assert (end.type, end.ending) == ("end", "error:infra")
