"""The tools run by hand, outside the harness: what a scored count must equal.

Each helper runs one tool of the evaluation environment directly on the host, on a copy of
a fixture project, with a configuration the test states, and returns its counts.
"""

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from harness.environment import EvaluationEnvironment
from harness.scoring.context import CONFIGS_DIR

VENV = EvaluationEnvironment().venv


def python_files(project: Path) -> list[str]:
    return sorted(p.relative_to(project).as_posix() for p in project.rglob("*.py"))


def _run(argv: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    scrubbed = {
        k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "MYPYPATH"}
    }
    return subprocess.run(
        argv, cwd=cwd, env=scrubbed | env, capture_output=True, text=True, check=False
    )


def ruff(project: Path, target: str = "py312") -> Counter[str]:
    """``ruff check`` under the harness's pinned rules, at ``target``, by rule code."""
    config = project.parent / "direct-ruff.toml"
    config.write_text(
        re.sub(
            r'^target-version = ".*"$',
            f'target-version = "{target}"',
            (CONFIGS_DIR / "ruff.toml").read_text(),
            flags=re.MULTILINE,
        )
    )
    done = _run(
        [str(VENV / "bin/ruff"), "check", "--config", str(config), "--no-cache",
         "--output-format", "json", "--exit-zero", "--", *python_files(project)],
        project,
    )  # fmt: skip
    return Counter(item["code"] or "invalid-syntax" for item in json.loads(done.stdout))


@dataclass
class MypyRun:
    returncode: int
    codes: Counter[str]
    output: str


def mypy(project: Path, config: str, mypy_path: Path, cache: Path) -> MypyRun:
    """mypy with the given configuration text, ``MYPYPATH`` and a shared cache."""
    ini = project.parent / "direct-mypy.ini"
    ini.write_text(config)
    done = _run(
        [str(VENV / "bin/python"), "-m", "mypy", "--config-file", str(ini),
         "--cache-dir", str(cache), "--output", "json", "--", *python_files(project)],
        project,
        MYPYPATH=str(mypy_path),
    )  # fmt: skip
    codes: Counter[str] = Counter()
    for line in done.stdout.splitlines():
        if line.startswith("{"):
            item = json.loads(line)
            if item["severity"] == "error":
                codes[item["code"] or "error"] += 1
    return MypyRun(done.returncode, codes, done.stdout + done.stderr)


@dataclass
class PytestRun:
    returncode: int
    passed: int
    failed: int
    errors: int
    output: str


def pytest(project: Path, pythonpath: list[Path], ini: str = "[pytest]\n") -> PytestRun:
    """pytest on the project with ``PYTHONPATH`` and an ini file, counted from JUnit XML."""
    config = project.parent / "direct-pytest.ini"
    config.write_text(ini)
    report = project.parent / "direct-junit.xml"
    done = _run(
        [str(VENV / "bin/python"), "-m", "pytest", "-c", str(config), "--rootdir",
         str(project), "-p", "no:cacheprovider", "-q", f"--junitxml={report}"],
        project,
        PYTHONPATH=":".join(map(str, pythonpath)),
    )  # fmt: skip
    if not report.exists():
        return PytestRun(done.returncode, 0, 0, 0, done.stdout + done.stderr)
    suite = ET.parse(report).getroot().find("testsuite")  # noqa: S314 - our own file
    assert suite is not None
    total, failures, errors, skipped = (
        int(suite.get(key, "0")) for key in ("tests", "failures", "errors", "skipped")
    )
    return PytestRun(
        done.returncode,
        total - failures - errors - skipped,
        failures,
        errors,
        done.stdout + done.stderr,
    )


def installed(requirements: list[str]) -> list[bool]:
    """Whether the environment satisfies each PEP 508 requirement (checked in its Python)."""
    script = (
        "import json, sys\n"
        "from importlib.metadata import version, PackageNotFoundError\n"
        "from packaging.requirements import Requirement\n"
        "out = []\n"
        "for text in json.loads(sys.argv[1]):\n"
        "    r = Requirement(text)\n"
        "    try:\n"
        "        v = version(r.name)\n"
        "    except PackageNotFoundError:\n"
        "        out.append(False); continue\n"
        "    ok = r.specifier.contains(v, prereleases=True)\n"
        "    for extra in r.extras:\n"
        "        from importlib.metadata import requires\n"
        "        for line in requires(r.name) or []:\n"
        "            need = Requirement(line)\n"
        "            if need.marker and need.marker.evaluate({'extra': extra}) and not "
        "need.marker.evaluate({'extra': ''}):\n"
        "                try:\n"
        "                    ok = ok and need.specifier.contains(version(need.name), True)\n"
        "                except PackageNotFoundError:\n"
        "                    ok = False\n"
        "    out.append(ok)\n"
        "print(json.dumps(out))\n"
    )
    done = _run(
        [str(VENV / "bin/python"), "-c", script, json.dumps(requirements)], Path()
    )
    result: list[bool] = json.loads(done.stdout)
    return result
