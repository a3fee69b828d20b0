"""The ``harness`` command. Thin: parse, call the library, print.

Every command lives in its own module and is registered here by name (:data:`COMMANDS`);
a command's module loads only when that command runs, so ``harness --help`` and a usage
error start at once. Errors the user can fix become one line on stderr
(``harness: error: ...``) and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import logging
import sys

import typer

from harness.cli.lazy import LazyCommand, LazyGroup
from harness.errors import HarnessError

#: Every command, in the order ``harness --help`` lists them.
COMMANDS = (
    LazyCommand(
        "score",
        "harness.cli.score_cmd",
        "score",
        "Score a FastAPI project: lint, format, types, its tests, acceptance, dependencies.",
    ),
    LazyCommand(
        "eval",
        "harness.cli.eval_cmd",
        "command",
        "Run tasks x variants x epochs, score them, compare with paired statistics, report.",
    ),
    LazyCommand(
        "rescore",
        "harness.cli.rescore_cmd",
        "command",
        "Score a run's stored generations again (after a scorer change); no model is called.",
    ),
    LazyCommand(
        "report",
        "harness.cli.report_cmd",
        "command",
        "Re-render summary.json, report.md and report.html from a run's stored samples.",
    ),
    LazyCommand(
        "compare",
        "harness.cli.compare_cmd",
        "command",
        "Compare two runs (two models, two harness versions) with paired statistics.",
    ),
    LazyCommand(
        "plan",
        "harness.cli.plan_cmd",
        "command",
        "Say what a run could detect; forecast the dollars and hours of one about to start.",
    ),
    LazyCommand(
        "generate",
        "harness.cli.generate_cmd",
        "command",
        "Generate one sample: a project from a model, with or without a skill.",
    ),
    LazyCommand(
        "tasks",
        "harness.cli.tasks_cmd",
        "app",
        "List, show and validate the eval tasks (evals/tasks/).",
    ),
    LazyCommand(
        "skill",
        "harness.cli.skill_cmd",
        "app",
        "Lint an Agent Skill like code, run its code and claim probes, or pack it.",
    ),
    LazyCommand(
        "install",
        "harness.cli.install_cmd",
        "command",
        "Install the skill for coding agents: skill folders, rules, AGENTS.md.",
    ),
    LazyCommand(
        "agents",
        "harness.cli.agents_cmd",
        "app",
        "Install or list the pinned coding-agent CLIs (Claude Code, Codex).",
    ),
    LazyCommand(
        "env",
        "harness.cli.env_cmd",
        "app",
        "Build or describe the evaluation environment generated projects run in.",
    ),
    LazyCommand(
        "schema",
        "harness.cli.schema_cmd",
        "app",
        "Export the JSON Schemas of the harness's file formats.",
    ),
)


class _HarnessGroup(LazyGroup):
    lazy = COMMANDS


app = typer.Typer(
    name="harness",
    cls=_HarnessGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Score FastAPI projects; measure whether a skill makes a model write better ones."""


def setup_logging() -> None:
    """Send the library's log records (``harness.*``) to stderr as ``harness: message``."""
    logger = logging.getLogger("harness")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("harness: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def main(argv: list[str] | None = None) -> None:
    """Run the command line; turn known errors into one line and an exit status.

    Args:
        argv: Arguments (default: ``sys.argv[1:]``).
    """
    setup_logging()
    try:
        code = app(args=argv, prog_name="harness", standalone_mode=False)
    except HarnessError as error:
        sys.stderr.write(f"harness: error: {error}\n")
        sys.exit(error.exit_code)
    except typer.Abort:
        sys.stderr.write("harness: interrupted\n")
        sys.exit(130)
    except typer.TyperException as error:
        # Typer's usage errors (a missing argument, an invalid choice): one line, status 2.
        message = " ".join(
            str(getattr(error, "format_message", error.__str__)()).split()
        )
        command = getattr(getattr(error, "ctx", None), "command_path", "harness")
        sys.stderr.write(f"harness: error: {message} (see `{command} --help`)\n")
        sys.exit(int(getattr(error, "exit_code", 2)))
    except KeyboardInterrupt:
        sys.stderr.write("harness: interrupted\n")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
