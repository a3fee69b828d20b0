"""Benchmark `harness score`: per-check time, overhead against running the tools by hand, 2 workers.

Run by hand (about 2 minutes on a 2-core machine)::

    uv run python benchmarks/score_bench.py            # 10 projects
    uv run python benchmarks/score_bench.py --smoke    # 2 projects, for CI

It makes 10 varied projects from the bookmarks example (renamed modules, extra functions, lint
and format problems, a failing test, a broken validation), then in ONE run measures:

* the harness scoring them (every check, acceptance included), sequentially and with 2 workers;
* the same tools run by hand on the same projects (ruff, ruff format, mypy with a copy of the
  same warm cache, pytest, uvicorn on a unix socket plus the acceptance tests), without any
  sandbox or bookkeeping, sequentially and with 2 workers.

Ratios are taken within the run (these machines are noisy). Targets: overhead <= 1.15x,
2 workers >= 1.8x faster than one.

It starts with the start-up figures of ``benchmarks/startup.py``: ``harness --help``, two
usage errors and ``import harness.cli`` as fresh processes, and the share of one
``harness score`` of the example spent outside its checks (``--startup-only`` stops
there).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.environment import HELPERS_DIR, EvaluationEnvironment  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402
from harness.scoring.checks.typecheck import ensure_warm_cache  # noqa: E402
from harness.scoring.context import CONFIGS_DIR, AcceptanceSpec  # noqa: E402
from harness.scoring.scorer import score_project  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import report as startup_report  # noqa: E402

EXAMPLE = ROOT / "examples" / "bookmarks"


def make_projects(folder: Path, count: int) -> list[Path]:
    """Varied copies of the bookmarks example (each differs in content and findings)."""
    projects = []
    for number in range(count):
        target = folder / f"p{number:02d}"
        shutil.copytree(EXAMPLE / "project", target)
        service = target / "src/app/bookmarks/service.py"
        text = service.read_text()
        text += f"\n\ndef page_count_{number}(total: int, size: int) -> int:\n"
        text += '    """Pages needed."""\n    return -(-total // size)\n'
        if number % 3 == 1:
            text += "\nimport os  # an unused import: a lint finding\n"
        if number % 3 == 2:
            text += "\nVALUE = {  'a':1 }\n"
        service.write_text(text)
        if number % 4 == 3:
            tests = target / "tests/test_extra.py"
            tests.write_text("def test_extra() -> None:\n    assert 1 + 1 == 3\n")
        if number % 5 == 4:
            schemas = target / "src/app/bookmarks/schemas.py"
            schemas.write_text(
                schemas.read_text().replace("min_length=1", "min_length=0")
            )
        projects.append(target)
    return projects


def by_hand(
    project: Path, environment: EvaluationEnvironment, warm: Path | None
) -> float:
    """Run the same tools directly, as a person would, and return the wall time."""
    venv = environment.venv
    python = str(venv / "bin" / "python")
    files = [str(p.relative_to(project)) for p in project.rglob("*.py")]
    env = {
        "PATH": f"{venv}/bin:/usr/bin:/bin",
        "HOME": str(project),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": f"{project}/src:{project}",
    }
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="hand-") as scratch:
        work = Path(scratch) / "work"
        shutil.copytree(project, work)
        config = str(CONFIGS_DIR / "ruff.toml")
        run = {"cwd": work, "env": env, "capture_output": True, "check": False}
        subprocess.run(
            [f"{venv}/bin/ruff", "check", "--config", config, "--no-cache", *files],
            **run,
        )
        subprocess.run(
            [f"{venv}/bin/ruff", "format", "--check", "--config", config, *files], **run
        )
        cache = Path(scratch) / "cache"
        if warm is not None:
            shutil.copytree(warm, cache)
        mypy = [python, "-m", "mypy", "--config-file", str(CONFIGS_DIR / "mypy.ini")]
        subprocess.run(
            [*mypy, "--cache-dir", str(cache), *files],
            **run | {"env": env | {"MYPYPATH": f"{work}/src"}},
        )
        own = Path(scratch) / "own"
        shutil.copytree(project, own)
        subprocess.run(
            [
                python,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--rootdir",
                str(own),
            ],
            **run | {"cwd": own},
        )
        served = Path(scratch) / "served"
        shutil.copytree(project, served)
        sock = Path(scratch) / "app.sock"
        db = f"sqlite+aiosqlite:///{scratch}/app.db"
        server = subprocess.Popen(
            [
                python,
                "-m",
                "uvicorn",
                "app.main:app",
                "--uds",
                str(sock),
                "--log-level",
                "warning",
            ],
            cwd=served,
            env=env | {"PYTHONPATH": f"{served}/src", "DATABASE_URL": db},
        )
        try:
            while not _connectable(sock):
                time.sleep(0.02)
            subprocess.run(
                [
                    python,
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "-p",
                    "acceptance_fixtures",
                    "--app-socket",
                    str(sock),
                    "-o",
                    "asyncio_mode=auto",
                    str(EXAMPLE / "acceptance"),
                ],
                **run | {"env": env | {"PYTHONPATH": str(HELPERS_DIR)}},
            )
        finally:
            server.kill()
            server.wait()
    return time.monotonic() - started


def _connectable(path: Path) -> bool:
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX) as probe:
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="2 projects, quick")
    parser.add_argument("--projects", type=int, default=10)
    parser.add_argument(
        "--startup-only", action="store_true", help="only the start-up figures"
    )
    args = parser.parse_args()
    count = 2 if args.smoke else args.projects

    startup_report(3 if args.smoke else 7, 1 if args.smoke else 3)
    if args.startup_only:
        return

    environment = EvaluationEnvironment()
    environment.ensure_built()
    sandbox = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    spec = AcceptanceSpec(tests_dir=EXAMPLE / "acceptance")
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        warm = ensure_warm_cache(sandbox, environment, Path(scratch))
        projects = make_projects(Path(scratch), count)
        per_check: dict[str, list[float]] = defaultdict(list)
        scores: list[float] = []

        def harness_one(project: Path) -> float:
            started = time.monotonic()
            result = score_project(
                project, sandbox=sandbox, environment=environment, acceptance=spec
            )
            for check in result.checks:
                per_check[check.name].append(check.duration_s)
            scores.append(result.overall)
            return time.monotonic() - started

        def timed(function: object, workers: int) -> float:
            assert callable(function)
            started = time.monotonic()
            if workers == 1:
                for project in projects:
                    function(project)
            else:
                with ThreadPoolExecutor(workers) as pool:
                    list(pool.map(function, projects))
            return time.monotonic() - started

        def hand_one(project: Path) -> float:
            return by_hand(project, environment, warm)

        harness_one(projects[0])  # warm the OS caches for both sides alike
        hand_one(projects[0])
        per_check.clear()
        scores.clear()
        harness_seq = timed(harness_one, 1)
        hand_seq = timed(hand_one, 1)
        harness_par = timed(harness_one, 2)
        hand_par = timed(hand_one, 2)

    print(f"projects: {count}   cpu cores: {os.cpu_count()}")
    print(f"overall scores: {sorted(scores[: len(projects)])}")
    print("per-check median seconds (harness, sequential run):")
    for name, values in per_check.items():
        print(f"  {name:<13} {statistics.median(values[: len(projects)]):.3f}")
    print(
        f"harness sequential {harness_seq:.2f} s  ({harness_seq / count:.2f} s/project)"
    )
    print(f"by hand sequential {hand_seq:.2f} s  ({hand_seq / count:.2f} s/project)")
    print(
        f"harness 2 workers  {harness_par:.2f} s;  by hand 2 workers {hand_par:.2f} s"
    )
    print(f"overhead sequential: {harness_seq / hand_seq:.3f}x  (target <= 1.15x)")
    print(f"overhead 2 workers:  {harness_par / hand_par:.3f}x")
    print(
        f"speed-up with 2 workers: {harness_seq / harness_par:.2f}x  (target >= 1.8x)"
    )


if __name__ == "__main__":
    main()
