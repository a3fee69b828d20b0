"""``harness generate``: one sample (task x variant x mode x model x epoch) into a folder.

The folder gets ``workspace/`` (the generated project, ready for ``harness score``),
``transcript.jsonl`` and ``generation.json`` (the :class:`GenerationRecord`).
"""

from __future__ import annotations

import asyncio
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from harness.cli.common import SandboxChoice, stderr, stdout
from harness.errors import UsageError

if TYPE_CHECKING:
    from harness.generate import GenerationRecord
    from harness.models.cache import ResponseCache
    from harness.tasks.loader import Task
    from harness.variants import Variant


class DeliveryChoice(StrEnum):
    """The ``--delivery`` flag's values."""

    inline = "inline"
    on_demand = "on-demand"


class AgentChoice(StrEnum):
    """The ``--agent`` flag's values."""

    builtin = "builtin"
    claude_code = "claude-code"
    codex = "codex"


class ModeChoice(StrEnum):
    """The ``--mode`` flag's values."""

    oneshot = "oneshot"
    agent = "agent"


def _find_task(value: str) -> Task:
    from harness.tasks.loader import get_task, load_task

    path = Path(value)
    if path.is_dir():
        if not (path / "task.toml").is_file():
            msg = f"{path} has no task.toml: point --task at a task folder"
            raise UsageError(msg)
        return load_task(path)
    if "/" not in value:
        return get_task(value)
    msg = f"--task {value}: no such folder; give a task folder or a task id"
    raise UsageError(msg)


def _parse_extra(pairs: list[str]) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key:
            msg = f"--param {pair!r}: use KEY=VALUE (VALUE as JSON, e.g. top_p=0.9)"
            raise UsageError(msg)
        try:
            extra[key] = json.loads(raw)
        except json.JSONDecodeError:
            extra[key] = raw
    return extra


def command(
    task: Annotated[
        str, typer.Option("--task", help="Task folder (or id under evals/tasks).")
    ],
    model: Annotated[
        str,
        typer.Option(
            "--model",
            help="anthropic:<model>, openai:<model>, reference or replay:<run>.",
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
        DeliveryChoice,
        typer.Option(
            help="inline: SKILL.md in the system prompt; on-demand: listed only."
        ),
    ] = DeliveryChoice.inline,
    mode: Annotated[
        ModeChoice,
        typer.Option(help="oneshot: one reply with every file; agent: a tool loop."),
    ] = ModeChoice.oneshot,
    epoch: Annotated[int, typer.Option(help="Repetition number.", min=0)] = 0,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for workspace/, transcript.jsonl and generation.json "
            "(default: generations/<task>/<variant>/<mode>-<epoch>).",
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
    sandbox: Annotated[
        SandboxChoice,
        typer.Option(help="Where the agent's commands run (bwrap isolates them)."),
    ] = SandboxChoice.bwrap,
    agent: Annotated[
        AgentChoice,
        typer.Option(
            help="builtin: the harness's own loop or one-shot; claude-code or codex: the real "
            "CLI in the sandbox, through the model gateway (see docs/agents.md)."
        ),
    ] = AgentChoice.builtin,
) -> None:
    """Generate one sample: a project from a model, with or without a skill."""
    from harness.generate import budget_for, generate, write_record
    from harness.models.base import GenerationParams, load_model, parse_spec
    from harness.variants import Delivery, resolve_variant

    chosen = _find_task(task)
    parse_spec(model)
    environment = None
    if variant.partition("=")[2].startswith("pkg:") or variant.startswith("pkg:"):
        from harness.environment import EvaluationEnvironment

        environment = EvaluationEnvironment()
    resolved = resolve_variant(
        variant, venv=environment.venv if environment is not None else None
    )
    run_name = mode.value if agent is AgentChoice.builtin else agent.value
    folder = (
        out or Path("generations") / chosen.id / resolved.label / f"{run_name}-{epoch}"
    )
    workspace = folder / "workspace"
    if workspace.exists() and any(workspace.iterdir()):
        msg = f"{workspace} already holds files: choose another --out or remove it"
        raise UsageError(msg)
    if agent is not AgentChoice.builtin:
        record = _with_agent(
            agent.value,
            chosen,
            resolved,
            model,
            epoch,
            folder,
            sandbox,
            base_url,
            max_cost,
        )
        _report(record, workspace, chosen, None)
        return
    params = GenerationParams(
        temperature=temperature,
        max_tokens=max_tokens,
        seed=seed,
        extra=_parse_extra(param or []),
    )
    options: dict[str, Any] = {"epoch": epoch}
    if model == "reference":
        options["reference_dir"] = chosen.reference_dir
    elif model.startswith("replay:"):
        options.update(task=chosen.id, variant=resolved.label, results_dir=results_dir)
    else:
        from harness.models.cache import ResponseCache

        options["cache"] = ResponseCache(enabled=not no_cache)
        options["max_concurrency"] = max_concurrency
        if base_url:
            options["base_url"] = base_url
    loaded = load_model(model, **options)
    box = None
    if mode is ModeChoice.agent and model != "reference":
        from harness.cli.common import open_sandbox
        from harness.environment import EvaluationEnvironment

        environment = environment or EvaluationEnvironment()
        environment.ensure_built()
        box = open_sandbox(sandbox, environment)

    async def main() -> Any:  # noqa: ANN401 - the record
        try:
            return await generate(
                chosen,
                resolved,
                model=loaded,
                model_spec=model,
                mode=mode.value,
                delivery=Delivery(delivery.value),
                epoch=epoch,
                workspace_dir=workspace,
                transcript_path=folder / "transcript.jsonl",
                params=params,
                budget=budget_for(chosen, max_cost_usd=max_cost),
                sandbox=box,
            )
        finally:
            await loaded.aclose()

    record = asyncio.run(main())
    write_record(record, folder / "generation.json")
    _report(record, workspace, chosen, options.get("cache"))


def _with_agent(
    agent: str,
    task: Task,
    variant: Variant,
    model: str,
    epoch: int,
    folder: Path,
    sandbox: SandboxChoice,
    base_url: str | None,
    max_cost: float | None,
) -> GenerationRecord:
    """One sample worked by a coding-agent CLI (``--agent claude-code|codex``)."""
    from harness.agents.sample import generate_with_cli, upstream_for
    from harness.cli.common import open_sandbox
    from harness.environment import EvaluationEnvironment
    from harness.generate import budget_for, write_record

    upstream_for(agent, model, base_url)
    environment = EvaluationEnvironment()
    environment.ensure_built()
    box = open_sandbox(sandbox, environment)
    record = asyncio.run(
        generate_with_cli(
            task,
            variant,
            agent=agent,
            model_spec=model,
            epoch=epoch,
            workspace_dir=folder / "workspace",
            transcript_path=folder / "transcript.jsonl",
            budget=budget_for(task, max_cost_usd=max_cost),
            sandbox=box,
            base_url=base_url,
        )
    )
    write_record(record, folder / "generation.json")
    return record


def _report(
    record: GenerationRecord, workspace: Path, chosen: Task, cache: ResponseCache | None
) -> None:
    """Print what the sample did and how to score it; exit 1 when it did not complete."""
    cost = f"${record.cost_usd:.4f}" if record.cost_usd is not None else "unpriced"
    stdout.print(
        f"{record.task} / {record.variant} / "
        f"{record.mode if record.agent == 'builtin' else record.agent} / epoch {record.epoch}: "
        f"{record.stop_reason}, {len(record.files)} files, {record.turns} turn(s), "
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
    if cache is not None and cache.enabled:
        stats = cache.stats
        stdout.print(
            f"cache: {stats.hits} hit(s), {stats.misses} miss(es), saved "
            f"${stats.saved_usd:.4f} and {stats.saved_tokens} tokens"
        )
    stdout.print(f"workspace: {workspace}")
    from harness.tasks.loader import tasks_dir  # imported here: keeps --help fast

    hidden = (
        f"--task {chosen.id}"
        if chosen.root.resolve().parent == tasks_dir().resolve()
        else f"--acceptance {chosen.acceptance_dir}"
    )
    stdout.print(f"score it:  harness score {workspace} {hidden}")
    if not record.ok:
        stderr.print(
            f"generation did not complete: {record.detail or record.stop_reason}"
        )
        sys.exit(1)
