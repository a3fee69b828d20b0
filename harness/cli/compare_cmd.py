"""``harness compare RUN_A RUN_B``: two runs on their common tasks, paired; thin."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harness.cli.common import check_writable, stdout


def command(
    run_a: Annotated[
        str, typer.Argument(help="Run A (the reference side): an id or a folder.")
    ],
    run_b: Annotated[
        str, typer.Argument(help="Run B (differences are B - A): an id or a folder.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder holding runs.")] = Path(
        "results"
    ),
    arm: Annotated[
        list[str] | None,
        typer.Option(
            "--arm",
            help="Pair run A's variant X with run B's variant Y: --arm A:X --arm B:Y "
            "(default: every label both runs have).",
        ),
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write an HTML page here.")
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the comparison as JSON.")
    ] = None,
    require_no_worse: Annotated[
        list[str] | None,
        typer.Option(
            "--require-no-worse",
            help="ARM[:CHECK]=MARGIN: exit 1 unless B's ARM is no worse than its A pair "
            "by more than MARGIN (the interval's lower bound above -MARGIN).",
        ),
    ] = None,
) -> None:
    """Compare two runs (two models, two harness versions) with paired statistics.

    Exit status: 0 ok (every gate passed), 1 a gate failed, 2 usage error.
    """
    from harness.fileio import write_atomically
    from harness.report.compare import compare_runs, no_worse_gates
    from harness.report.gates import parse_require_no_worse
    from harness.report.terminal_summary import print_comparison
    from harness.run.layout import RunLayout

    for flag, path in (("--html", html), ("--json", json_path)):
        if path is not None:
            check_writable(path, flag)
    gates = [parse_require_no_worse(text) for text in require_no_worse or []]
    comparison = compare_runs(
        RunLayout.locate(run_a, out), RunLayout.locate(run_b, out), arm
    )
    results = no_worse_gates(comparison, gates)
    print_comparison(comparison, stdout)
    if html is not None:
        from harness.report.render import render_compare_html

        write_atomically(html, render_compare_html(comparison))
        stdout.print(f"wrote {html}", markup=False)
    if json_path is not None:
        write_atomically(json_path, comparison.model_dump_json(indent=1) + "\n")
        stdout.print(f"wrote {json_path}", markup=False)
    for result in results:
        mark = "pass" if result.passed else "FAIL"
        stdout.print(f"gate {mark} {result.name}: {result.message}", markup=False)
    if any(not result.passed for result in results):
        raise typer.Exit(1)
