"""``harness rescore RUN``: score a run's stored generations again, calling no model."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from harness.cli.common import SandboxChoice, stderr, stdout


def command(
    run_id: Annotated[str, typer.Argument(help="The run's id, or its folder.")],
    out: Annotated[Path, typer.Option("--out", help="Folder holding runs.")] = Path(
        "results"
    ),
    missing_only: Annotated[
        bool,
        typer.Option("--missing-only", help="Score only samples that have no score."),
    ] = False,
    score_slots: Annotated[
        int | None, typer.Option(help="Samples scored at once (default: cores).", min=1)
    ] = None,
    sandbox: Annotated[
        SandboxChoice | None,
        typer.Option(help="bwrap isolates generated code; none is unsafe."),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress display.")
    ] = False,
) -> None:
    """Score a run's stored generations again (after a scorer change); no model is called."""
    from harness.cli.eval_summary import finish
    from harness.cli.progress import RunProgress
    from harness.run.eval import changed_checks, rescore, rescore_plan
    from harness.run.layout import RunLayout
    from harness.run.prepare import resume_run

    layout = RunLayout.locate(run_id, out)
    out, run_id = layout.root.parent, layout.run_id
    run = resume_run(
        out,
        run_id,
        {
            "score": True,
            "score_slots": score_slots,
            "sandbox": sandbox.value if sandbox is not None else None,
        },
    )
    total = len(rescore_plan(run, only_missing=missing_only))
    changed = changed_checks(run.store)
    what = (
        "checks changed since the stored scores: "
        + ", ".join(
            f"{name} ({'/'.join(was)} -> {now})" for name, (was, now) in changed.items()
        )
        if changed
        else "no check changed since the stored scores"
    )
    stderr.print(f"rescoring {total} sample(s) of run {run_id}; {what}")
    if quiet:
        outcome = rescore(run, only_missing=missing_only)
    else:
        with RunProgress(stderr, total, scoring=True) as progress:
            outcome = rescore(run, only_missing=missing_only, observer=progress)
    sys.exit(
        finish(
            outcome, fail_under=[], require_improvement=[], junit=None, console=stdout
        )
    )
