"""``harness env build|info``: the shared evaluation environment."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from harness.cli.common import SandboxChoice, open_sandbox, stdout
from harness.environment import EvaluationEnvironment
from harness.scoring.checks.typecheck import ensure_warm_cache

app = typer.Typer(
    help="Build or describe the evaluation environment generated projects run in.",
    no_args_is_help=True,
)


@app.command()
def build(
    sandbox: Annotated[
        SandboxChoice, typer.Option(help="The sandbox the mypy cache is warmed for.")
    ] = SandboxChoice.bwrap,
) -> None:
    """Build the locked, precompiled environment and warm the shared mypy cache."""
    from harness.safefs import scratch_folder

    environment = EvaluationEnvironment()
    stdout.print(f"building {environment.venv} from {environment.lock_file} ...")
    environment.build()
    box = open_sandbox(sandbox, environment)
    with scratch_folder("hs-warm-") as scratch:
        warm = ensure_warm_cache(box, environment, scratch)
    stdout.print(
        f"environment ready (lock {environment.lock_hash}); "
        f"mypy cache: {warm or 'could not be warmed'}"
    )


@app.command()
def info() -> None:
    """Show the environment's interpreter, lock hash and packages."""
    environment = EvaluationEnvironment()
    if not environment.is_built():
        stdout.print(
            f"not built (lock {environment.lock_hash}): run `harness env build`"
        )
        raise typer.Exit(1)
    described = environment.info()
    table = Table(
        title=f"evaluation environment · Python {described.python} · lock {described.lock_hash}"
    )
    table.add_column("package")
    table.add_column("version")
    for name, version in described.packages.items():
        table.add_row(name, version)
    stdout.print(table)
    stdout.print(f"path: {described.path}")
