"""Run a coding-agent CLI in the sandbox against the model gateway, and read what it did.

:func:`run_cli` starts the gateway on a unix socket in a scratch folder, binds it, the CLI's
install folder (read-only) and a fresh HOME into the sandbox, runs the CLI to its end (or its
wall clock), then turns the gateway's log and the CLI's stream into transcript events and the
sample record's fields (:func:`outcome` says how it ended).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from harness.gateway import Gateway
from harness.safefs import scratch_folder
from harness.sandbox import Mount, SandboxLimits, SandboxRequest
from harness.sandbox.models import AGENT_PROJECT_ENV, GATEWAY
from harness.solvers.coding_agents.clis import get_cli
from harness.solvers.coding_agents.profiles import AGENT_DIR, AGENT_HOME, launch_for
from harness.solvers.coding_agents.transcripts import read_stream, write_calls
from harness.solvers.outcome import GenerationOutcome, Limit, SampleError
from harness.transcript import AgentEvent, ProblemEvent

if TYPE_CHECKING:
    from harness.gateway import Upstream
    from harness.models.budget import Budget
    from harness.sandbox import Sandbox, SandboxResult
    from harness.solvers.workspace import Workspace
    from harness.transcript import Transcript

#: Seconds the sandbox grants past the time budget (the gateway refuses calls at the budget).
GRACE_S = 5.0
#: The wall clock of a sample whose task sets no time budget.
DEFAULT_WALL_S = 1800.0


def ending(
    result: SandboxResult, gateway: Gateway, limits: SandboxLimits, errors: list[str]
) -> tuple[Limit | None, SampleError | None]:
    """How the CLI ended: ``(None, None)`` when it finished, else a limit or an error.

    Args:
        result: The sandboxed run.
        gateway: The gateway that served it.
        limits: The run's limits.
        errors: Errors the CLI reported in its stream.

    Returns:
        The outcome's ``limit`` and ``error`` fields.
    """
    if result.killed == "timeout":
        detail = (
            f"the agent was stopped at {limits.wall_seconds:g} s; "
            "the workspace is scored as it is"
        )
        return Limit(kind="time", detail=detail), None
    if gateway.refused is not None:
        refused = gateway.refused
        return Limit(kind=refused.reason, detail=str(refused)), None
    tail = (result.stderr.strip().splitlines() or [""])[-1][:300]
    answered = [c for c in gateway.calls if c.reply is not None]
    # No reply ever (CLI missing or crashed, upstream unreachable): the agent never worked.
    if not answered:
        why = result.describe_failure(limits) or f"exit status {result.returncode}"
        reached = "never called the model" if not gateway.calls else "never got a reply"
        last = next(
            (
                c.error or c.refused
                for c in reversed(gateway.calls)
                if c.error or c.refused
            ),
            None,
        )
        detail = f"the agent {reached} ({why}): {last or tail or 'no output'}"
        return None, SampleError(kind="infra", message=detail)
    if result.ok:
        return None, None
    why = result.describe_failure(limits) or f"exit status {result.returncode}"
    detail = (
        f"the agent ended with {why}: {errors[-1] if errors else tail or 'no output'}"
    )
    return None, SampleError(kind="model", message=detail)


async def run_cli(
    *,
    cli_name: str,
    prompt: str,
    model: str,
    upstream: Upstream,
    budget: Budget,
    sandbox: Sandbox,
    workspace: Workspace,
    skill_mount: Mount | None,
    out: Path | None,  # the transcript: its siblings get the gateway log and the stream
    transcript: Transcript,
    skill_name: str | None,
    skill_files: dict[str, bytes] | None = None,
) -> GenerationOutcome:
    """Run the CLI against the gateway; return what happened.

    ``skill_files`` (the skill's files) let a trigger count only when a tool result the
    model was shown holds a line of the file. Without the bubblewrap sandbox nothing runs:
    the agent could read the key from the harness's own process.
    """
    if sandbox.name != "bwrap":
        detail = (
            f"--solver {cli_name} needs --sandbox bwrap: without it the agent could read "
            "the API key from the harness's own process"
        )
        transcript.write(ProblemEvent(message=detail))
        return GenerationOutcome(error=SampleError(kind="infra", message=detail))
    cli = get_cli(cli_name)
    launch = launch_for(cli_name, cli, prompt, model)
    wall = (budget.max_wall_s or DEFAULT_WALL_S) + GRACE_S
    limits = SandboxLimits(
        wall_seconds=wall, output_bytes=64_000_000, processes=512, tmp_mb=1024
    )
    # The agent writes its HOME: removed without following a link it planted there.
    with scratch_folder("hs-agent-") as scratch:
        home, sockets = scratch / "home", scratch / "gw"
        (home / ".codex").mkdir(parents=True)
        sockets.mkdir()
        mounts = [
            Mount(source=cli.folder, target=AGENT_DIR),
            Mount(source=sockets, target=GATEWAY),
            Mount(source=home, target=AGENT_HOME, writable=True),
        ]
        if skill_mount is not None:  # staged outside the workspace, read-only
            mounts.append(skill_mount)
        request = SandboxRequest(
            argv=launch.argv,
            workspace=workspace.root,
            workspace_writable=True,
            mounts=mounts,
            env={**launch.env, **AGENT_PROJECT_ENV},
            limits=limits,
        )
        log = out.with_suffix(".gateway.jsonl") if out is not None else None
        if log is not None:
            log.unlink(missing_ok=True)
        offset = transcript.elapsed()
        async with Gateway(
            upstream, sockets / "gw.sock", budget=budget, log_path=log
        ) as gateway:
            result = await asyncio.to_thread(sandbox.run, request)
    if out is not None:
        out.with_suffix(".agent.jsonl").write_text(result.stdout, encoding="utf-8")
        stderr = result.stderr[-200_000:]
        out.with_suffix(".agent.stderr").write_text(stderr, encoding="utf-8")
    stream = read_stream(cli_name, result.stdout)
    triggers, commands = write_calls(
        gateway.calls,
        transcript,
        skill=skill_name,
        skill_files=skill_files,
        offset_s=offset,
    )
    transcript.write(
        AgentEvent(
            agent=cli_name,
            version=cli.version,
            **stream,
            returncode=result.returncode,
            killed=result.killed,
            duration_s=result.duration_s,
            startup_s=gateway.first_call_s,
        ),
        t=offset + result.duration_s,
    )
    limit, error = ending(result, gateway, limits, stream["errors"])
    return GenerationOutcome(
        turns=len([c for c in gateway.calls if c.reply is not None]),
        usage=gateway.usage,
        cost_usd=gateway.cost_usd,
        triggers=triggers,
        commands=commands,
        models_served=sorted(
            {c.model for c in gateway.calls if c.reply is not None and c.model}
        ),
        agent_startup_s=gateway.first_call_s,
        limit=limit,
        error=error,
    )


__all__ = ["DEFAULT_WALL_S", "GRACE_S", "ending", "run_cli"]
