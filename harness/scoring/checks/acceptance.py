"""The ``acceptance`` check: hidden tests, outside the app's sandbox, against the app over HTTP.

The app is untrusted and the tests are trusted, so they never share a process:

1. a fresh copy of the project gets a fresh SQLite database (``DATABASE_URL``) and the task's
   setup commands (migrations, say), in the sandbox;
2. the task's fake services, if any, are served in a sandbox of their own, on unix sockets
   (they keep what the tests read back, so the app must not share their process);
3. ``serve_app.py`` serves the ``[tool.fastapi] entrypoint`` with uvicorn on a unix socket,
   lifespan on, in the app's sandbox (no network; each service reached on its port of the
   sandbox's own loopback, through a relay to the service's socket, bound read-only);
4. pytest runs the hidden tests in a third sandbox that sees only the tests, the harness's
   fixtures and the sockets: no conftest, import hook or option of the project can reach
   it, and the project never sees the tests.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path, PurePosixPath

from harness.sandbox import (
    HELPERS,
    OUT,
    TOOL_PYTHON,
    Mount,
    SandboxedProcess,
    SandboxRequest,
    SandboxResult,
)
from harness.scoring.checks.own_tests import pytest_argv, write_ini
from harness.scoring.checks.pytest_results import read_report
from harness.scoring.context import (
    AcceptanceSpec,
    ScoringContext,
    Stopwatch,
    result,
    sandbox_failure,
    tail,
)
from harness.scoring.models import CheckResult

SOCK = PurePosixPath("/sock")
STATE = PurePosixPath("/state")
SERVICES = PurePosixPath("/services")
#: The fake services' sockets: written by their sandbox, read-only to the app's.
SERVICE_SOCKETS = PurePosixPath("/svc")
SERVE = [*TOOL_PYTHON, f"{HELPERS}/serve_app.py"]
DATABASE_URL = f"sqlite+aiosqlite:///{STATE}/app.db"
_ENTRYPOINT_ERROR = "ENTRYPOINT-ERROR: "


def _connectable(path: Path) -> bool:
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        try:
            probe.connect(str(path))
        except OSError:
            return False
    return True


def _wait_ready(server: SandboxedProcess, app_socket: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _connectable(app_socket):
            return True
        if not server.alive():
            return False
        time.sleep(0.02)
    return False


def _startup_reason(stderr: str, entrypoint: str, seconds: float, ended: bool) -> str:
    for line in reversed(stderr.splitlines()):
        if line.startswith(_ENTRYPOINT_ERROR):
            return line.removeprefix(_ENTRYPOINT_ERROR)
    if not ended:
        return f"the app ({entrypoint}) did not accept connections within {seconds:g} s"
    return f"the app ({entrypoint}) exited at startup: {tail(stderr, 1) or 'no output'}"


def _app_env(spec: AcceptanceSpec) -> dict[str, str]:
    """The app's variables; the server puts the import roots on its path itself."""
    return {"DATABASE_URL": DATABASE_URL, **spec.env}


def _services_request(
    ctx: ScoringContext, spec: AcceptanceSpec, sockets: Path
) -> SandboxRequest:
    """The fake services' own sandbox: their files, their socket folder, nothing else."""
    mounts = [Mount(source=sockets, target=SERVICE_SOCKETS, writable=True)]
    argv = [*SERVE, "--socket-dir", str(SERVICE_SOCKETS)]
    # Each service's own folder only: the hidden tests beside it stay out of sight.
    for service in spec.services:
        source = spec.tests_dir / service.file
        if source.parent != spec.tests_dir:
            source = source.parent
        target = SERVICES / service.name
        if source.is_file():
            target /= source.name
        mounts.append(Mount(source=source, target=target))
        file = SERVICES / service.name / PurePosixPath(service.file).name
        argv += ["--service", f"{service.name}={file}:{service.attr}"]
    return ctx.request(argv, workspace=ctx.folder("services-work"), mounts=mounts)


def run_acceptance(ctx: ScoringContext) -> CheckResult:
    """Serve the app in the sandbox and run the hidden tests against it."""
    watch = Stopwatch()
    spec = ctx.acceptance
    if spec is None:
        return result(
            "acceptance",
            watch,
            status="skipped",
            score=0.0,
            reason="no acceptance tests given",
        )
    entrypoint = ctx.project.entrypoint
    if entrypoint is None:
        return result(
            "acceptance",
            watch,
            status="fail",
            score=0.0,
            reason=f"no app to test: {ctx.project.entrypoint_source}",
        )
    workspace = ctx.fresh_workspace("acceptance")
    sock, state, sockets = ctx.folder("sock"), ctx.folder("state"), ctx.folder("svc")
    for command in spec.setup:
        setup = ctx.run(
            ctx.request(
                command,
                workspace=workspace,
                writable=True,
                mounts=[Mount(source=state, target=STATE, writable=True)],
                env={"PYTHONPATH": ctx.python_path(), **_app_env(spec)},
            )
        )
        if not setup.ok:
            why = (
                setup.describe_failure(ctx.limits) or f"exit status {setup.returncode}"
            )
            said = tail(setup.stderr or setup.stdout)
            reason = f"setup `{' '.join(command)}` failed ({why}): {said}"
            return result("acceptance", watch, status="fail", score=0.0, reason=reason)
    argv = [*SERVE, "--entrypoint", entrypoint, "--socket", f"{SOCK}/app.sock"]
    for path in ctx.python_path().split(":"):
        argv += ["--path", path]
    for service in spec.services:
        argv += ["--relay", f"{service.port}={SERVICE_SOCKETS}/{service.name}.sock"]
    services = (
        ctx.sandbox.spawn(_services_request(ctx, spec, sockets))
        if spec.services
        else None
    )
    server = ctx.sandbox.spawn(
        ctx.request(
            argv,
            workspace=workspace,
            writable=True,
            mounts=[
                Mount(source=sock, target=SOCK, writable=True),
                Mount(source=state, target=STATE, writable=True),
                Mount(source=sockets, target=SERVICE_SOCKETS),
            ],
            env=_app_env(spec),
        )
    )
    out = ctx.folder("out-acceptance")
    try:
        # pytest starts (and collects) while the app imports: its fixtures wait for the
        # socket, so the two start-ups overlap instead of adding up.
        tests = ctx.sandbox.spawn(_tests_request(ctx, spec, sock, sockets, out))
        try:
            if not _wait_ready(server, sock / "app.sock", spec.startup_seconds):
                tests.stop()
                ended = not server.alive()
                log = server.stop()
                reason = _startup_reason(
                    log.stderr, entrypoint, spec.startup_seconds, ended
                )
                return result(
                    "acceptance",
                    watch,
                    status="fail",
                    score=0.0,
                    reason=reason,
                    figures={"passed": 0},
                )
            return _judge(ctx, watch, out, tests.wait(), server, services)
        finally:
            tests.stop()
    finally:
        server.stop()
        if services is not None:
            services.stop()


def _tests_request(
    ctx: ScoringContext, spec: AcceptanceSpec, sock: Path, sockets: Path, out: Path
) -> SandboxRequest:
    """The hidden tests' pytest run: it sees the tests, the fixtures and the sockets only."""
    write_ini(
        out,
        {"asyncio_mode": "auto", "asyncio_default_fixture_loop_scope": "function"},
        timeout_s=spec.test_timeout_seconds,
    )
    extra = [
        "-p", "acceptance_fixtures", "--app-socket", f"{SOCK}/app.sock",
        "--app-startup-seconds", f"{spec.startup_seconds:g}",
    ]  # fmt: skip
    for service in spec.services:
        extra += [
            "--service-socket",
            f"{service.name}={SERVICE_SOCKETS}/{service.name}.sock",
        ]
    return ctx.request(
        pytest_argv(f"{OUT}/report.jsonl", *extra, "/work"),
        workspace=spec.tests_dir,
        out=out,
        mounts=[
            Mount(source=sock, target=SOCK, writable=True),
            Mount(source=sockets, target=SERVICE_SOCKETS),
        ],
        env={"PYTHONPATH": str(HELPERS)},
    )


def _judge(
    ctx: ScoringContext,
    watch: Stopwatch,
    out: Path,
    run: SandboxResult,
    server: SandboxedProcess,
    services: SandboxedProcess | None,
) -> CheckResult:
    """Read the hidden tests' report into the check's result."""
    summary = read_report(out / "report.jsonl")
    figures = summary.figures()
    figures.pop("deprecation_warnings", None)
    findings = [f for f in summary.findings() if f.code != "deprecation"]
    stopped = sandbox_failure(
        "acceptance",
        watch,
        run,
        ctx.limits,
        what="the acceptance tests",
        where=summary.started_unfinished,
        figures=figures,
        findings=findings,
    )
    if stopped is not None:
        return stopped
    reason = None
    if services is not None and not services.alive():
        said = tail(services.stop().stderr, 2) or "no output"
        reason = f"the task's fake services stopped: {said}"
    elif (
        summary.exit_status is None
        or summary.collection_errors
        or summary.executed == 0
    ):
        reason = f"the acceptance tests did not run: {tail(run.stdout + run.stderr, 2)}"
    if reason is not None:
        return result(
            "acceptance",
            watch,
            status="error",
            score=0.0,
            figures=figures,
            findings=findings,
            reason=reason,
        )
    if not server.alive():
        figures["app_crashed"] = 1
    passed, executed = summary.count("passed"), summary.executed
    return result(
        "acceptance",
        watch,
        status="pass" if passed == executed else "fail",
        score=summary.pass_rate(),
        figures=figures,
        findings=findings,
        reason=None
        if passed == executed
        else f"{passed}/{executed} acceptance tests passed",
    )
