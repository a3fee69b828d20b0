"""Start-up: `harness --help`, a usage error and the scoring path load only what they need.

Nothing here times anything (speed is measured in benchmarks/score_bench.py); these tests
name the libraries each path must not import, so a module-level import that slows every
command down fails here at once.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent

#: Libraries no start-up path needs: statistics, HTML, HTTP and the model SDKs.
HEAVY = ("scipy", "numpy", "jinja2", "httpx", "anthropic", "openai")
#: The harness's own layers a start-up must not reach.
HEAVY_OWN = ("harness.stats", "harness.report", "harness.run", "harness.scoring")

_PROBE = """
import json, sys
{code}
print(json.dumps(sorted(sys.modules)), file=sys.__stderr__)
"""


def loaded_after(code: str) -> tuple[set[str], str]:
    """The modules a fresh interpreter holds after running ``code``, and its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(code=code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    last = done.stderr.strip().splitlines()[-1]
    return set(json.loads(last)), done.stdout


def _run_cli(*args: str) -> str:
    return (
        "from harness.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit:\n"
        "    pass\n"
    )


def _heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(
        name
        for name in names
        if any(module == name or module.startswith(name + ".") for module in modules)
    )


def test_importing_the_cli_loads_no_heavy_library() -> None:
    modules, _ = loaded_after("import harness.cli")
    assert _heavy(modules, (*HEAVY, *HEAVY_OWN)) == []
    # No command module either: each loads when its command runs.
    assert not [m for m in modules if m.endswith("_cmd")]


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["score"],
        ["score", "does/not/exist"],
        ["eval", "--epochs", "0"],
        ["plan"],
        ["report"],
        ["tasks", "list", "--bogus"],
        ["generate", "--bogus"],
    ],
)
def test_help_and_usage_errors_load_no_heavy_library(args: list[str]) -> None:
    modules, _ = loaded_after(_run_cli(*args))
    assert _heavy(modules, (*HEAVY, *HEAVY_OWN)) == []


def test_the_scoring_path_loads_no_statistics_html_or_http() -> None:
    # What `harness score` imports to score and print a project, and nothing more.
    modules, _ = loaded_after(
        "import harness.cli.score_cmd, harness.scoring.scorer, harness.report.terminal_tables"
    )
    assert _heavy(modules, (*HEAVY, "harness.stats", "harness.run")) == []


def test_help_lists_every_command_with_its_own_help() -> None:
    # The one-line help `harness --help` shows without loading a command is the one the
    # command itself declares.
    for entry in COMMANDS:
        command = entry.load()
        own = (command.help or "").strip().splitlines()[0]
        assert entry.help == own, entry.name


def test_every_command_module_is_registered() -> None:
    modules = {path.stem for path in (ROOT / "harness" / "cli").glob("*_cmd.py")}
    registered = {entry.module.rsplit(".", 1)[1] for entry in COMMANDS}
    assert registered == modules
