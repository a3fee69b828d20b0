"""``harness agents install|list``: the coding-agent CLIs the harness can evaluate."""

from __future__ import annotations

from typing import Annotated

import typer

from harness.cli.common import stdout
from harness.solvers.coding_agents.clis import CLIS, get_cli, install_cli, version_of

app = typer.Typer(
    help="Install or list the pinned coding-agent CLIs (Claude Code, Codex).",
    no_args_is_help=True,
)


@app.command("install")
def install(
    names: Annotated[
        list[str] | None,
        typer.Argument(help=f"Agents to install (default: all): {', '.join(CLIS)}."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Reinstall.")] = False,
) -> None:
    """Install the pinned CLIs with npm into the harness's cache."""
    for cli in [get_cli(n) for n in names or list(CLIS)]:
        present = cli.installed() and not force
        if not present:
            stdout.print(
                f"{cli.name}: installing {cli.package}@{cli.version} ...", markup=False
            )
        version = install_cli(cli, force=force)
        state = "already installed" if present else "installed"
        stdout.print(f"{cli.name}: {version} {state} at {cli.folder}", markup=False)


@app.command("list")
def list_() -> None:
    """Show each CLI's pinned version, whether it is installed, and where."""
    from rich.table import Table

    table = Table(title="coding-agent CLIs")
    for column in ("agent", "package", "pinned", "installed", "where"):
        table.add_column(column)
    missing = []
    for cli in CLIS.values():
        found = version_of(cli) if cli.installed() else None
        if found is None:
            missing.append(cli)
        table.add_row(
            cli.name,
            cli.package,
            cli.version,
            found or "no",
            str(cli.folder) if found else f"`{cli.install_command}`",
        )
    stdout.print(table)
    for cli in missing:
        stdout.print(
            f"{cli.name} is missing: run `{cli.install_command}`", markup=False
        )
