"""Everything a check needs to score one project, and the helpers they share."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict, Field

from harness.environment import EvaluationEnvironment
from harness.project import Project, copy_project
from harness.safefs import remove_tree
from harness.sandbox import (
    OUT,
    WORK,
    Mount,
    Sandbox,
    SandboxLimits,
    SandboxRequest,
    SandboxResult,
)
from harness.scoring.fit import assess
from harness.scoring.models import CheckResult, CheckStatus, Finding

#: The scorer's tool configurations, bound read-only at /configs in the sandbox.
CONFIGS_DIR = Path(__file__).parent / "configs"
CONFIGS = PurePosixPath("/configs")
#: Where the ruff configuration appears in the sandbox: at the root, so that its
#: per-file-ignores globs (anchored at the config file's folder) match files under /work.
RUFF_CONFIG = PurePosixPath("/ruff.toml")
#: Findings kept per check in a result; the rest are counted in ``findings_omitted``.
MAX_FINDINGS = 200

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
_DURATION = re.compile(r"\b\d+\.\d+s\b")


class ServiceSpec(BaseModel):
    """A fake external service served beside the app (trusted code from the task).

    Attributes:
        name: Name used for its socket and the ``services`` fixture.
        file: Python file, relative to the acceptance folder, defining an ASGI app.
        attr: The app's attribute in that file.
        port: Port on the sandbox's own loopback where the app can reach it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    file: str
    attr: str = "app"
    port: int = Field(ge=1024, le=65535)


class AcceptanceSpec(BaseModel):
    """How to run hidden acceptance tests against a project.

    Attributes:
        tests_dir: The folder of hidden pytest tests.
        setup: Commands run in the project's sandbox before the app starts
            (``[["python", "-m", "alembic", "upgrade", "head"]]``).
        services: Fake external services served beside the app.
        env: Variables given to the app (service URLs, settings).
        startup_seconds: How long the app may take to accept connections.
        test_timeout_seconds: Per-test timeout.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    tests_dir: Path
    setup: list[list[str]] = Field(default_factory=list)
    services: list[ServiceSpec] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    startup_seconds: float = Field(default=30.0, gt=0)
    test_timeout_seconds: float = Field(default=30.0, gt=0)


@dataclass
class ScoringContext:
    """One project being scored: its files, a pristine copy, the sandbox and the environment.

    Attributes:
        project: What was learnt from the project's files.
        sandbox: The door every command goes through.
        environment: The evaluation environment.
        limits: Limits for each sandboxed command.
        acceptance: Hidden tests to run, if any.
        scratch: A harness-owned temporary folder, deleted afterwards.
    """

    project: Project
    sandbox: Sandbox
    environment: EvaluationEnvironment
    limits: SandboxLimits
    acceptance: AcceptanceSpec | None = None
    scratch: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hs-")))

    def __post_init__(self) -> None:
        """Copy the project once; every check starts from this pristine copy."""
        self.pristine = self.scratch / "project"
        self.pristine.mkdir()
        copy_project(self.project, self.pristine)
        self.fit = assess(self.project, self.environment)
        # Beside (not inside) the workspaces, so that unsandboxed runs anchor it the same way.
        # The one change to the pinned file: the Python version the code is checked for.
        self.ruff_config = self.scratch / "ruff.toml"
        pinned = (CONFIGS_DIR / "ruff.toml").read_text(encoding="utf-8")
        target = "py{}{}".format(*self.fit.target)
        self.ruff_config.write_text(
            re.sub(
                r'^target-version = "py3\d+"$',
                f'target-version = "{target}"',
                pinned,
                count=1,
                flags=re.MULTILINE,
            ),
            encoding="utf-8",
        )

    def fresh_workspace(self, name: str) -> Path:
        """A writable copy of the project for a check that runs its code."""
        target = self.scratch / f"work-{name}"
        shutil.copytree(self.pristine, target)
        return target

    def folder(self, name: str) -> Path:
        """A new empty harness-owned folder (for reports, sockets, state)."""
        target = self.scratch / name
        target.mkdir()
        return target

    def python_path(self) -> str:
        """``PYTHONPATH`` for project code: the layout's import roots under ``/work``."""
        return ":".join(str(path) for path in self.project.layout.paths(WORK))

    def mypy_path(self) -> str:
        """``MYPYPATH``: the first import root, so each file maps to one module name."""
        return str(self.project.layout.paths(WORK)[0])

    def request(
        self,
        argv: list[str],
        *,
        workspace: Path | None = None,
        writable: bool = False,
        out: Path | None = None,
        mounts: list[Mount] | None = None,
        env: dict[str, str] | None = None,
        limits: SandboxLimits | None = None,
    ) -> SandboxRequest:
        """A sandbox request with the scorer's configs mounted and, optionally, an out folder."""
        all_mounts = [
            Mount(source=CONFIGS_DIR, target=CONFIGS),
            Mount(source=self.ruff_config, target=RUFF_CONFIG),
            *(mounts or []),
        ]
        if out is not None:
            all_mounts.append(Mount(source=out, target=OUT, writable=True))
        return SandboxRequest(
            argv=argv,
            workspace=workspace or self.pristine,
            workspace_writable=writable,
            mounts=all_mounts,
            env=env or {},
            limits=limits or self.limits,
        )

    def run(self, request: SandboxRequest) -> SandboxResult:
        """Run a request through the sandbox."""
        return self.sandbox.run(request)

    def close(self) -> None:
        """Delete the scratch folder."""
        remove_tree(self.scratch)


def normalise(text: str) -> str:
    """Strip what varies between identical runs: memory addresses and timings."""
    return _DURATION.sub("<t>", _ADDRESS.sub("0x…", text)).strip()


_MARKERS_ONLY = re.compile(r"^[\s^~]*$")


def tail(text: str, lines: int = 1) -> str:
    """The last lines of ``text`` that say something, joined with `` | ``.

    Blank lines and a traceback's marker lines (``^^^^^``, ``~~~^~~``) are skipped.
    """
    kept = [
        line.strip()
        for line in text.strip().splitlines()
        if not _MARKERS_ONLY.match(line)
    ]
    return " | ".join(kept[-lines:])[:500]


class Stopwatch:
    """Measures a check's duration."""

    def __init__(self) -> None:
        """Start now."""
        self.started = time.monotonic()

    def elapsed(self) -> float:
        """Seconds since the start, rounded to milliseconds."""
        return round(time.monotonic() - self.started, 3)


def result(
    name: str,
    watch: Stopwatch,
    *,
    status: CheckStatus,
    score: float,
    figures: dict[str, int | float | str] | None = None,
    findings: list[Finding] | None = None,
    reason: str | None = None,
) -> CheckResult:
    """Build a check result with findings sorted, normalised and capped."""
    cleaned = sorted(
        {
            finding.model_copy(update={"message": normalise(finding.message)})
            for finding in (findings or [])
        },
        key=lambda f: (f.path or "", f.line or 0, f.code, f.message),
    )
    return CheckResult(
        name=name,
        status=status,
        score=round(min(1.0, max(0.0, score)), 4),
        duration_s=watch.elapsed(),
        figures=dict(sorted((figures or {}).items())),
        findings=cleaned[:MAX_FINDINGS],
        findings_omitted=max(0, len(cleaned) - MAX_FINDINGS),
        reason=normalise(reason) if reason else None,
    )


def sandbox_failure(
    name: str,
    watch: Stopwatch,
    run: SandboxResult,
    limits: SandboxLimits,
    *,
    what: str | None = None,
    where: str | None = None,
    figures: dict[str, int | float | str] | None = None,
    findings: list[Finding] | None = None,
) -> CheckResult | None:
    """The result for a command the sandbox stopped (timeout, memory...), or None.

    Args:
        name: The check.
        watch: The check's stopwatch.
        run: What the sandbox reported.
        limits: The limits it ran under.
        what: The subject of the reason (default: the check's name).
        where: What it was doing when stopped (a test id), if known.
        figures: Figures gathered before it was stopped.
        findings: Findings gathered before it was stopped.
    """
    why = run.describe_failure(limits)
    if why is None:
        return None
    status: CheckStatus = "timeout" if run.killed == "timeout" else "error"
    suffix = f" in {where}" if where else ""
    return result(
        name,
        watch,
        status=status,
        score=0.0,
        figures=figures,
        findings=findings,
        reason=f"{what or name} {why}{suffix}",
    )
