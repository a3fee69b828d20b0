"""``harness generate``: one sample (task x variant x mode x model x epoch) as a one-sample run.

It writes the run layout every other command reads (``manifest.json``,
``samples/<task>/<arm>/<epoch>.json``, ``workspaces/...``, ``transcripts/...``), through the
same library path as ``harness eval`` (:mod:`harness.run`), without scoring: the command
it prints scores the workspace.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from harness.cli.common import SandboxChoice, pick_solver, stderr, stdout
from harness.cli.eval_cmd import parse_params
from harness.errors import UsageError
from harness.variants import Delivery


def _task_name(value: str) -> str:
    path = Path(value)
    if path.is_dir():
        if not (path / "task.toml").is_file():
            msg = f"{path} has no task.toml: point --task at a task folder"
            raise UsageError(msg)
        return value
    if "/" in value:
        msg = f"--task {value}: no such folder; give a task folder or a task id"
        raise UsageError(msg)
    return value


def command(
    task: Annotated[
        str, typer.Option("--task", help="Task folder (or id under evals/tasks).")
    ],
    model: Annotated[
        str,
        typer.Option(
            "--model",
            help="anthropic:<model>, openai:<model>, reference, sim or replay:<run>.",
        ),
    ],
    variant: Annotated[
        str,
        typer.Option(
            "--variant",
            help="none, path:DIR, git:REV:DIR or pkg:PACKAGE/PATH (optionally LABEL=SPEC).",
        ),
    ] = "none",
    delivery: Annotated[
        Delivery | None,
        typer.Option(
            help="inline: SKILL.md in the system prompt; on-demand: listed only "
            "(default: the solver's own)."
        ),
    ] = None,
    solver: Annotated[
        str | None,
        typer.Option(
            help="oneshot (one reply with every file), loop (the harness's tool loop), "
            "claude-code or codex (the real CLI in the sandbox through the model "
            "gateway; see docs/agents.md).",
            show_default="oneshot",
        ),
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(
            help="Alias: --mode oneshot is --solver oneshot, --mode agent is --solver loop."
        ),
    ] = None,
    epoch: Annotated[int, typer.Option(help="Repetition number.", min=0)] = 0,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="The run folder to create (default: results/gen-<task>-<time>).",
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Always call the model.")
    ] = False,
    max_concurrency: Annotated[
        int, typer.Option(help="Model calls in flight at most.", min=1)
    ] = 4,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="API base URL (an OpenAI-compatible server: vLLM, Ollama, LM Studio).",
        ),
    ] = None,
    temperature: Annotated[float | None, typer.Option(min=0)] = None,
    max_tokens: Annotated[
        int, typer.Option(help="Output tokens per reply.", min=1)
    ] = 16_000,
    seed: Annotated[int | None, typer.Option()] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", help="Extra request parameter KEY=JSON (repeatable)."),
    ] = None,
    max_cost: Annotated[
        float | None, typer.Option(help="Dollar budget of the sample.", min=0)
    ] = None,
    results_dir: Annotated[
        Path,
        typer.Option(help="Where replay:<run> finds earlier runs."),
    ] = Path("results"),
    sim: Annotated[
        list[str] | None,
        typer.Option("--sim", help="With --model sim: ARM=P, the chance of gold."),
    ] = None,
    sandbox: Annotated[
        SandboxChoice,
        typer.Option(help="Where the agent's commands run (bwrap isolates them)."),
    ] = SandboxChoice.bwrap,
    agent: Annotated[
        str | None,
        typer.Option(help="Alias: --agent claude-code is --solver claude-code."),
    ] = None,
) -> None:
    """Generate one sample: a project from a model, with or without a skill."""
    from harness.models.registry import parse_spec
    from harness.run.config import EvalConfig
    from harness.run.prepare import check_solver, start_run
    from harness.run.scheduler import PendingSample, execute
    from harness.run.spec import SampleSpec

    name = _task_name(task)
    parse_spec(model)
    if out is None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        out = results_dir / f"gen-{Path(name).name}-{stamp}"
    if (out / "manifest.json").exists():
        msg = f"{out} already holds a run: choose another --out or remove it"
        raise UsageError(msg)
    chosen = pick_solver(solver, mode, agent) or "oneshot"
    spec_text = (
        variant
        if variant == "none" or delivery is None
        else f"{variant}@{delivery.value}"
    )
    config = EvalConfig(
        model=model,
        variants=[spec_text],
        tasks=[name],
        epochs=epoch + 1,
        solver=chosen,
        max_concurrency=max_concurrency,
        results_dir=out.parent if str(out.parent) else Path(),
        run_id=out.name,
        seed=seed if seed is not None else 0,
        temperature=temperature,
        max_tokens=max_tokens,
        params=parse_params(param or []),
        max_cost_usd=max_cost,
        base_url=base_url,
        cache=not no_cache,
        score=False,
        sim=sim or [],
        sandbox=sandbox.value,
    )
    if model.startswith("replay:"):
        config = config.model_copy(update={"results_dir": results_dir})
    check_solver(config)  # before the warning: a refusal is one line
    if sandbox is SandboxChoice.none and chosen != "oneshot":
        from rich.panel import Panel

        from harness.sandbox import UNSANDBOXED_WARNING

        stderr.print(
            Panel(UNSANDBOXED_WARNING, title="no sandbox", style="bold yellow")
        )
    run = start_run(config)
    arm = run.manifest.arms[0].arm
    spec = SampleSpec.of(run.manifest.tasks[0].id, arm, model=model, epoch=epoch)

    async def main() -> None:
        try:
            await execute(run, [PendingSample(spec, "generate", None)])
        finally:
            await run.source.aclose()

    asyncio.run(main())
    stored = run.store.read_sample(spec)
    record = stored.generation if stored is not None else None
    if stored is None or record is None:
        reason = stored.failure.reason if stored and stored.failure else "unknown"
        stderr.print(f"generation did not run: {reason}")
        sys.exit(1)
    cost = f"${record.cost_usd:.4f}" if record.cost_usd is not None else "unpriced"
    stdout.print(
        f"{spec.task} / {spec.arm} / {spec.solver} / epoch {spec.epoch}: "
        f"{record.ending}, {len(record.files)} files, {record.turns} turn(s), "
        f"{record.total_tokens} tokens, {cost}, {record.wall_s:.1f}s"
    )
    if record.skill_md_opened is not None:
        opened = (
            f"opened at turn {record.skill_md_turn}"
            if record.skill_md_opened
            else "never opened"
        )
        stdout.print(
            f"skill: SKILL.md {opened}; references opened: "
            f"{', '.join(record.references_opened) or 'none'}"
        )
    if record.cached_replies:
        stdout.print(f"cache: {record.cached_replies} reply(ies) served from the cache")
    workspace = run.store.layout.workspace(spec)
    stdout.print(f"run:       {run.store.layout.root}")
    stdout.print(f"workspace: {workspace}")
    task_entry = run.manifest.tasks[0]
    hidden = (
        f"--task {task_entry.id}"
        if task_entry.path is None
        else f"--acceptance {Path(task_entry.path) / 'acceptance'}"
    )
    stdout.print(f"score it:  harness score {workspace} {hidden}")
    stdout.print(f"   or:     harness rescore {run.store.layout.root}")
    if stored.failure is not None:
        stderr.print(f"generation did not complete: {stored.failure.reason}")
        sys.exit(1)
