"""The ``harness`` command. Thin: parse, call the library, print.

Every command is registered here; each lives in its own module. Errors the user can fix
become one line on stderr (``harness: error: ...``) and a non-zero exit status, never a
traceback.
"""

from __future__ import annotations

import logging
import sys

import typer

from harness.cli import env_cmd, schema_cmd, score_cmd
from harness.errors import HarnessError

app = typer.Typer(
    name="harness",
    help="Score FastAPI projects; measure whether a skill makes a model write better ones.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command(name="score")(score_cmd.score)
app.add_typer(env_cmd.app, name="env")
app.add_typer(schema_cmd.app, name="schema")


def _register_optional() -> None:
    """Attach command groups that other modules provide (tasks, skill, install, eval)."""
    import importlib

    for module_name, name in (
        ("harness.cli.tasks_cmd", "tasks"),
        ("harness.cli.skill_cmd", "skill"),
        ("harness.cli.install_cmd", "install"),
        ("harness.cli.generate_cmd", "generate"),
        ("harness.cli.agents_cmd", "agents"),
        ("harness.cli.eval_cmd", "eval"),
        ("harness.cli.rescore_cmd", "rescore"),
        ("harness.cli.plan_cmd", "plan"),
        ("harness.cli.report_cmd", "report"),
        ("harness.cli.compare_cmd", "compare"),
    ):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        if isinstance(getattr(module, "app", None), typer.Typer):
            app.add_typer(module.app, name=name)
        elif callable(getattr(module, "command", None)):
            app.command(name=name)(module.command)


_register_optional()


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
