"""What the claim probes share: the skill's files, and ruff, mypy and pytest run on snippets.

Every tool runs from the evaluation environment (the interpreter running the probes).
"""

import gc
import json
import os
import re
import subprocess
import sys
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path

SKILL = Path(os.environ.get("SKILL_DIR") or Path(__file__).resolve().parents[2])
TEMPLATE = SKILL / "assets" / "project-template"
#: The scorer's ruff.toml and mypy.ini (mounted by harness skill verify).
CONFIGS = Path(
    os.environ.get("SCORER_CONFIGS")
    or SKILL.parents[1] / "harness" / "scoring" / "configs"
)
BIN = Path(sys.executable).parent


def text(rel: str) -> str:
    """A file of the skill."""
    return (SKILL / rel).read_text(encoding="utf-8")


def write(folder: Path, files: dict[str, str]) -> Path:
    """Write dedented files under ``folder``; return it."""
    for rel, body in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return folder


def run(
    *argv: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command of the environment; never raises on a non-zero exit."""
    return subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def ruff_codes(
    folder: Path, code: str, select: str, filename: str = "app.py"
) -> list[str]:
    """The rule codes ``ruff check --select`` reports on ``code`` (isolated from configs)."""
    write(folder, {filename: code})
    done = run(
        BIN / "ruff",
        "check",
        "--isolated",
        "--select",
        select,
        "--output-format",
        "json",
        "--exit-zero",
        "--no-cache",
        filename,
        cwd=folder,
    )
    return sorted(item["code"] for item in json.loads(done.stdout))


def mypy_errors(folder: Path, files: dict[str, str]) -> list[str]:
    """``file:line: [code]`` of mypy's errors under the scorer's mypy.ini (strict)."""
    write(folder, files)
    done = run(
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        CONFIGS / "mypy.ini",
        "--no-color-output",
        "--no-error-summary",
        *sorted(files),
        cwd=folder,
    )
    found = re.findall(r"^(\S+?):(\d+): error: .*\[([\w-]+)\]$", done.stdout, re.M)
    return [f"{name}:{line}: [{code}]" for name, line, code in found]


def pytest_run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pytest in ``folder`` (no cache; plugins as installed unless ``args`` say)."""
    return run(
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args, cwd=folder
    )


def requires(distribution: str, extra: str | None = None) -> set[str]:
    """The names a distribution requires (only those of ``extra`` when given)."""
    from importlib.metadata import requires as metadata_requires

    from packaging.requirements import Requirement

    names = set()
    for line in metadata_requires(distribution) or []:
        requirement = Requirement(line)
        marker = requirement.marker
        wanted = (
            marker is None
            if extra is None
            else marker is not None and marker.evaluate({"extra": extra})
        )
        if wanted:
            names.add(requirement.name.lower())
    return names


def missing_greenlet(read: Callable[[], object]) -> str:
    """Assert that ``read()`` raises SQLAlchemy's ``MissingGreenlet``; return the message.

    Reading an expired attribute under asyncio raises it (wrapped in a ``StatementError``)
    and drops a coroutine that was never awaited; its warning is silenced here, so it does
    not fail a later probe under ``-W error``.
    """
    from sqlalchemy.exc import StatementError

    message = ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            read()
        except StatementError as error:
            message = str(error)
        gc.collect()
    assert "MissingGreenlet" in message, message or "nothing was raised"
    return message


def block_after(markdown: str, anchor: str) -> str:
    """The code of the first fenced block after the line holding ``anchor``."""
    lines = markdown.splitlines()
    start = next(n for n, line in enumerate(lines) if anchor in line)
    opening = next(n for n in range(start, len(lines)) if lines[n].startswith("```"))
    closing = next(
        n for n in range(opening + 1, len(lines)) if lines[n].startswith("```")
    )
    return "\n".join(lines[opening + 1 : closing]) + "\n"
