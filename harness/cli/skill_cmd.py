"""``harness skill lint|verify|pack``: check a skill like code, run it, pack it as a ``.skill``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from harness.cli.common import SandboxChoice, open_sandbox, stdout
from harness.environment import EvaluationEnvironment
from harness.skills.codeblocks import BlockChecker
from harness.skills.files import resolve_skill_dir
from harness.skills.lint import lint_skill
from harness.skills.pack import pack_skill
from harness.skills.verify import SkillVerifier, VerifyReport

app = typer.Typer(
    help="Lint an Agent Skill like code, run its code and claim probes, or pack it.",
    no_args_is_help=True,
)

_STYLE = {"error": "red", "warning": "yellow", "info": "dim"}


@app.command()
def lint(
    path: Annotated[Path, typer.Argument(help="The skill folder (holding SKILL.md).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON.")
    ] = False,
    tools: Annotated[
        bool,
        typer.Option(
            help="Check Python blocks with ruff, ruff format and mypy (in the sandbox)."
        ),
    ] = True,
    sandbox: Annotated[
        SandboxChoice,
        typer.Option(help="Where ruff and mypy run: bwrap, or none (no isolation)."),
    ] = SandboxChoice.bwrap,
) -> None:
    """Check front matter, size, links, references and every Python block.

    Exits 1 when an error is found; warnings and notes do not fail.
    """
    root = resolve_skill_dir(path)
    checker = None
    if tools:
        environment = EvaluationEnvironment()
        environment.ensure_built()
        checker = BlockChecker(open_sandbox(sandbox, environment), environment)
    report = lint_skill(root, checker=checker)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        for issue in report.issues:
            stdout.print(
                issue.render(),
                style=_STYLE[issue.severity],
                markup=False,
                soft_wrap=True,
            )
        figures = report.figures
        checked = (
            f", {figures.get('python_blocks_clean', 0)}/"
            f"{figures.get('python_blocks_checked', 0)} Python blocks clean"
            if tools
            else ", Python blocks not run through the tools (--no-tools)"
        )
        stdout.print(
            f"{report.skill}: {report.count('error')} errors, "
            f"{report.count('warning')} warnings, {report.count('info')} notes; "
            f"body {figures['body_lines']} lines, ~{figures['body_tokens_estimated']} "
            f"tokens; {figures['python_blocks']} Python blocks "
            f"({figures['fragments']} fragments){checked}",
            markup=False,
            soft_wrap=True,
        )
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def verify(
    path: Annotated[Path, typer.Argument(help="The skill folder (holding SKILL.md).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON.")
    ] = False,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all", help="List every block and claim, not only the failures."
        ),
    ] = False,
    sandbox: Annotated[
        SandboxChoice,
        typer.Option(help="Where the code runs: bwrap, or none (no isolation)."),
    ] = SandboxChoice.bwrap,
) -> None:
    """Execute every Python block and every claim probe (evals/claims/) under -W error.

    Runs in the evaluation environment, in the sandbox. Prints each block that failed and
    each sentence whose probe failed (stale) or whose text is gone (orphaned); exits 1 then.
    """
    root = resolve_skill_dir(path)
    environment = EvaluationEnvironment()
    environment.ensure_built()
    verifier = SkillVerifier(open_sandbox(sandbox, environment), environment)
    report = verifier.verify(root)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        _print_verify(report, show_all=show_all)
    if not report.ok:
        raise typer.Exit(1)


def _print_verify(report: VerifyReport, *, show_all: bool) -> None:
    for issue in report.issues:
        stdout.print(
            issue.render(), style=_STYLE[issue.severity], markup=False, soft_wrap=True
        )
    for block in report.blocks:
        if block.status == "pass" and not show_all:
            continue
        what = f"{block.tests} tests" if block.kind == "tests" else "imported"
        line = f"{block.path}:{block.line}: block {block.status.upper()} ({what})"
        stdout.print(
            line + (f": {block.message}" if block.message else ""),
            style="red" if block.status == "fail" else "dim",
            markup=False,
            soft_wrap=True,
        )
    for claim in report.claims:
        if claim.status == "pass" and not show_all:
            continue
        where = f"{claim.file}:{claim.line}" if claim.line else claim.file
        line = f'{where}: {claim.status.upper()} "{claim.text}" ({claim.probe})'
        stdout.print(
            line + (f": {claim.message}" if claim.message else ""),
            style="dim" if claim.status == "pass" else "red",
            markup=False,
            soft_wrap=True,
        )
    figures = report.figures
    stale = sum(1 for claim in report.claims if claim.status != "pass")
    stdout.print(
        f"{report.skill}: {figures['blocks_passed']}/{figures['blocks_executed']} Python "
        f"blocks ran clean ({figures['block_tests']} tests in them, "
        f"{figures['fragments']} fragments not run); {figures['claims_held']}/"
        f"{figures['claims']} sentences held under {figures['claim_probes']} probes"
        f"{f', {stale} stale or orphaned' if stale else ''}; "
        f"environment {report.lock_hash}, {report.seconds:.1f} s",
        markup=False,
        soft_wrap=True,
    )


@app.command()
def pack(
    path: Annotated[Path, typer.Argument(help="The skill folder (holding SKILL.md).")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder to write <name>.skill into (default: here)."
        ),
    ] = None,
) -> None:
    """Validate the skill, then zip it into <name>.skill as skill-creator's packager does."""
    packed = pack_skill(path, out)
    stdout.print(
        f"packed {len(packed.entries)} files into {packed.archive}", markup=False
    )
