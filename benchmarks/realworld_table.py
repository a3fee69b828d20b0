"""The scorer against the tools run by hand, on real public FastAPI repositories.

Usage::

    uv run python benchmarks/realworld_table.py --clone-commands ~/corpus   # git commands
    uv run python benchmarks/realworld_table.py ~/corpus [--only NAME ...]  # the table
    uv run python benchmarks/realworld_table.py --smoke                     # CI: 2 fixtures

The repositories, their commits and the folder scored are in ``benchmarks/corpus.toml``
(none of their code is in this repository: clone them with the printed commands). For
each, ``harness score`` runs (ruff, format, mypy, own tests, dependencies) and, beside it,
the same figures by hand (``benchmarks/corpus_by_hand.py``): ruff, format and mypy run
directly with the harness's own configurations, pytest directly in the evaluation
environment (sandboxed, no scorer plugin), the dependency verdict from poetry-core's and
pip's own parsers and ``importlib.metadata``. Each cell is ``scorer / by hand``; a cell
that differs is flagged with ``!=`` and the run exits 1. ``--smoke`` runs the same
comparison on two of ``tests/fixtures/realworld`` (no network, a minute).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus_by_hand import ByHand, by_hand  # noqa: E402
from harness.environment import HELPERS_DIR, EvaluationEnvironment  # noqa: E402
from harness.project import copy_project, load_project  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402
from harness.scoring.models import ProjectScore  # noqa: E402
from harness.scoring.scorer import score_project  # noqa: E402

MANIFEST = Path(__file__).with_name("corpus.toml")
SMOKE = ROOT / "tests" / "fixtures" / "realworld"
CHECKS = ["ruff", "format", "mypy", "own_tests", "dependencies"]
COLUMNS = [
    "repository", "layout", "dependency format", "target", "ruff", "format", "mypy",
    "own tests passed/failed/errors (+set aside)", "deps outside/declared", "undeclared",
]  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """One repository of the corpus."""

    name: str
    repo: str
    commit: str
    folder: str = "."
    why: str = ""


def manifest() -> list[Entry]:
    """The committed corpus."""
    data = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    return [Entry(**item) for item in data["repo"]]


def cell(scored: object, by: object) -> str:
    """``a / b``, flagged when they differ."""
    mark = "" if str(scored) == str(by) else " **!=**"
    return f"{scored} / {by}{mark}"


def _formats(sources: str) -> str:
    kinds = {
        part.split(" (")[0].replace("pyproject.toml ", "").split("] ")[0].strip("[]")
        for part in sources.split(", ")
        if part
    }
    short = {
        "project": "PEP 621",
        "project.optional-dependencies": "PEP 621",
        "dependency-groups": "groups",
        "tool.uv": "uv",
    }
    named = {
        "requirements"
        if k.endswith(".txt")
        else short.get(k, "Poetry" if k.startswith("tool.poetry") else k)
        for k in kinds
    }
    return ", ".join(sorted(named)) or "-"


def row(name: str, scored: ProjectScore, hand: ByHand) -> list[str]:
    """The table's row for one repository."""
    checks = {c.name: c for c in scored.checks}
    ruff, fmt, mypy = checks["ruff"], checks["format"], checks["mypy"]
    own, deps = checks["own_tests"], checks["dependencies"]
    target = ruff.figures.get("target_version", "3.12")
    own_scored = (
        f"{own.figures.get('passed', 0)}/{own.figures.get('failed', 0)}/"
        f"{int(own.figures.get('errors', 0)) + int(own.figures.get('collection_errors', 0))}"
        f" (+{own.figures.get('not_importable', 0)})"
        + (" charged" if own.charged_to == "dependencies" else "")
    )
    own_hand = f"{hand.passed}/{hand.failed}/{hand.errors} (+{hand.set_aside})" + (
        " charged" if hand.charged else ""
    )
    undeclared = sorted(
        f.message.split(" ")[0] for f in deps.findings if f.code == "undeclared-import"
    )
    return [
        name,
        scored.layout.kind if scored.layout else "-",
        _formats(str(deps.figures.get("sources", ""))),
        cell(target, "{}.{}".format(*hand.target)),
        cell(ruff.figures.get("findings", ruff.status), hand.ruff),
        cell(fmt.figures.get("would_change", fmt.status), hand.would_reformat),
        # mypy's exit status 2 is a crash or a blocking error: the scorer says "error".
        cell(
            mypy.figures.get("errors", mypy.status),
            "error"
            if hand.mypy_exit == 2 or (hand.mypy_exit and not hand.mypy)
            else hand.mypy,
        ),
        cell(own_scored, own_hand),
        cell(
            f"{deps.figures['outside_environment']}/{deps.figures['declared']}",
            f"{hand.outside}/{hand.declared}",
        ),
        cell(len(undeclared), len(hand.undeclared)),
    ]


def compare(
    name: str, folder: Path, environment: EvaluationEnvironment, sandbox: Sandbox
) -> list[str]:
    """Score one project and compute its figures by hand, each on its own copy."""
    scratch = Path(tempfile.mkdtemp(prefix="corpus-"))
    try:
        project = load_project(folder)
        mine = scratch / "by-hand"
        copy_project(project, mine)
        scored = score_project(
            folder,
            sandbox=sandbox,
            environment=environment,
            acceptance=None,
            checks=CHECKS,
        )
        hand = by_hand(
            mine,
            scratch,
            environment,
            sandbox,
            import_roots=project.layout.import_roots,
            options=project.pytest_options(),
            module_of=project.layout.module_of,
        )
        return row(name, scored, hand)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def clone_commands(entries: list[Entry], into: Path) -> str:
    """The git commands that make the checkouts this script reads."""
    lines = [f"mkdir -p {into} && cd {into}"]
    for entry in entries:
        lines.append(
            f"git clone -q https://github.com/{entry.repo}.git {entry.name} && "
            f"git -C {entry.name} checkout -q {entry.commit}"
        )
    return "\n".join(lines)


def main() -> int:
    """Print the table; 1 when a cell differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, help="folder of checkouts")
    parser.add_argument("--clone-commands", action="store_true")
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    entries = manifest()
    if args.clone_commands:
        print(clone_commands(entries, args.corpus or Path("corpus")))
        return 0
    if args.smoke:
        targets = [
            (n, SMOKE / n) for n in ("production-template", "full-stack-backend")
        ]
    elif args.corpus is None:
        parser.error("give the folder of checkouts (or --clone-commands, --smoke)")
    else:
        targets = [
            (e.name, args.corpus / e.name / e.folder)
            for e in entries
            if not args.only or e.name in args.only
        ]
        if absent := [str(path) for _, path in targets if not path.is_dir()]:
            print(f"missing checkouts: {', '.join(absent)}: run with --clone-commands")
            return 2
    environment = EvaluationEnvironment()
    environment.ensure_built()
    sandbox = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    differ = 0
    for name, folder in targets:
        cells = compare(name, folder, environment, sandbox)
        differ += sum("!=" in c for c in cells)
        print("| " + " | ".join(cells) + " |", flush=True)
    print(f"\n{differ} cell(s) differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
