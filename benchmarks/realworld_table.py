"""The scorer's counts against the tools run by hand, on every real-world-shaped fixture.

Usage: ``uv run python benchmarks/realworld_table.py`` (prints a Markdown table; about a
minute per fixture on a loaded 2-core machine). The same comparisons are asserted, one
finding per test, by ``tests/scoring/test_realworld_layouts.py``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.environment import HELPERS_DIR, EvaluationEnvironment  # noqa: E402
from harness.project import load_project  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402
from harness.scoring.checks.typecheck import mypy_config  # noqa: E402
from harness.scoring.context import AcceptanceSpec  # noqa: E402
from harness.scoring.fit import assess  # noqa: E402
from harness.scoring.scorer import score_project  # noqa: E402
from tests.scoring import direct  # noqa: E402

REALWORLD = ROOT / "tests" / "fixtures" / "realworld"
SHAPES = {
    "production-template": "zhanymkanov/fastapi_production_template",
    "full-stack-backend": "full-stack-fastapi-template backend",
    "nano": "rednafi/fastapi-nano",
    "flat": "flat",
    "src-layout": "src layout",
    "multi-package": "several packages",
    "py314": "Python 3.14 code",
}


def row(
    name: str, environment: EvaluationEnvironment, sandbox: Sandbox, cache: Path
) -> str:
    """One fixture: layout, formats, and each count as scored / by hand."""
    work = Path(tempfile.mkdtemp()) / name
    shutil.copytree(REALWORLD / name, work)
    project = load_project(work)
    fit = assess(project, environment)
    score = score_project(
        work,
        sandbox=sandbox,
        environment=environment,
        acceptance=AcceptanceSpec(tests_dir=REALWORLD / "acceptance"),
        checks=["ruff", "mypy", "own_tests", "dependencies"],
    )
    importers = tuple(
        sorted(
            {
                project.layout.module_of(r)
                for m in fit.missing_modules
                for r in project.imports[m]
            }
        )
    )
    roots = [work if r == "." else work / r for r in project.layout.import_roots]
    mypy = direct.mypy(
        work,
        mypy_config(fit.target_text, fit.missing_modules, importers),
        roots[0],
        cache,
    )
    ruff = direct.ruff(work, "py{}{}".format(*fit.target))
    options = project.pytest_options()
    ini = "[pytest]\n" + (
        f"asyncio_mode = {options['asyncio_mode']}\n"
        if "asyncio_mode" in options
        else ""
    )
    tests = direct.pytest(work, roots, ini)
    texts = [
        f"{r.name}{'[' + ','.join(r.extras) + ']' if r.extras else ''}"
        f"{r.alternatives[0] if r.alternatives else ''}"
        for r in project.requirements
        if r.error is None
    ]
    satisfied = direct.installed(texts)
    checks = {c.name: c for c in score.checks}
    own = checks["own_tests"]
    formats = sorted(
        {r.source.removeprefix("pyproject.toml ") for r in project.requirements}
    )
    return " | ".join(
        [
            f"{SHAPES[name]} (`{name}`)",
            project.layout.kind,
            "; ".join(formats) or "-",
            f"{checks['ruff'].figures['findings']} / {sum(ruff.values())}",
            f"{checks['mypy'].status} {checks['mypy'].figures.get('errors', '-')} / "
            f"{sum(mypy.codes.values())} (exit {mypy.returncode})",
            f"{own.status} {own.figures['passed']}/{own.figures['failed']} / "
            f"{tests.passed}/{tests.failed} (exit {tests.returncode})",
            f"{checks['dependencies'].figures['outside_environment']}/"
            f"{checks['dependencies'].figures['declared']} / "
            f"{satisfied.count(False)}/{len(satisfied)}",
        ]
    )


def main() -> None:
    """Print the table."""
    environment = EvaluationEnvironment()
    environment.ensure_built()
    sandbox = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    cache = Path(tempfile.mkdtemp())
    print(
        "| shape | layout | dependency format | ruff scored / by hand | mypy scored / by hand"
        " | own tests passed/failed scored / by hand | deps outside/declared scored / by hand |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in SHAPES:
        print(f"| {row(name, environment, sandbox, cache)} |")


if __name__ == "__main__":
    main()
