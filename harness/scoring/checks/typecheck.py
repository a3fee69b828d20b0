"""The ``mypy`` check: ``--strict`` with the pydantic plugin, under the harness's configuration."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path, PurePosixPath

from harness.environment import EvaluationEnvironment
from harness.sandbox import Mount, Sandbox, SandboxLimits, SandboxRequest
from harness.scoring.context import (
    CONFIGS,
    CONFIGS_DIR,
    ScoringContext,
    Stopwatch,
    result,
    sandbox_failure,
    tail,
)
from harness.scoring.models import CheckResult, Finding
from harness.scoring.project import copy_project, load_project

CACHE = PurePosixPath("/cache")
WARMUP_PROJECT = Path(__file__).resolve().parent.parent / "warmup_project"
_TEXT_LINE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?:\d+:)? (?P<severity>error|note): "
    r"(?P<message>.*?)(?:  \[(?P<code>[\w-]+)\])?$"
)


def mypy_argv(files: list[str]) -> list[str]:
    """The mypy command line the scorer uses, for the given files."""
    return [
        "/venv/bin/python", "-m", "mypy", "--config-file", f"{CONFIGS}/mypy.ini",
        "--cache-dir", str(CACHE), "--output", "json", "--no-color-output", "--", *files,
    ]  # fmt: skip


def ensure_warm_cache(
    sandbox: Sandbox, environment: EvaluationEnvironment, scratch: Path
) -> Path | None:
    """Make (once) a mypy cache warmed on the environment's libraries, at the sandbox's paths.

    Args:
        sandbox: The sandbox that scoring uses (the cache is only valid for its paths).
        environment: The evaluation environment, which keeps the cache.
        scratch: An empty harness-owned folder to work in.

    Returns:
        The warm cache folder, or None if it could not be made (mypy then runs cold).
    """
    config = (CONFIGS_DIR / "mypy.ini").read_text(encoding="utf-8")
    key = environment.mypy_cache_key(f"{config}\n{sandbox.name}")
    if found := environment.warm_mypy_cache(key):
        return found
    project = scratch / "project"
    project.mkdir()
    warmup = load_project(WARMUP_PROJECT)
    copy_project(warmup, project)
    cache = scratch / "cache"
    cache.mkdir()
    request = SandboxRequest(
        argv=mypy_argv(warmup.python_files),
        workspace=project,
        mounts=[
            Mount(source=CONFIGS_DIR, target=CONFIGS),
            Mount(source=cache, target=CACHE, writable=True),
        ],
        limits=SandboxLimits(wall_seconds=300),
    )
    run = sandbox.run(request)
    if run.killed is not None or not any(cache.iterdir()):
        return None
    return environment.store_mypy_cache(key, cache)


def parse_mypy_output(stdout: str) -> list[Finding]:
    """Error findings from mypy's ``--output json`` lines (or its text lines, as a fallback)."""
    findings: list[Finding] = []
    for line in stdout.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if item.get("severity") != "error":
                continue
            message = item.get("message", "")
            if item.get("hint"):
                message = f"{message} ({item['hint']})"
            findings.append(
                Finding(
                    code=item.get("code") or "error",
                    message=message,
                    path=str(item.get("file", "")).removeprefix("/work/"),
                    line=item.get("line"),
                )
            )
        elif (match := _TEXT_LINE.match(line)) and match["severity"] == "error":
            findings.append(
                Finding(
                    code=match["code"] or "error",
                    message=match["message"],
                    path=match["path"].removeprefix("/work/"),
                    line=int(match["line"]),
                )
            )
    return findings


def run_mypy(ctx: ScoringContext) -> CheckResult:
    """Type-check every Python file with ``mypy --strict`` (ignoring the project's [tool.mypy])."""
    watch = Stopwatch()
    files = ctx.project.python_files
    if not files:
        return result(
            "mypy",
            watch,
            status="error",
            score=0.0,
            reason="the project has no Python files",
        )
    cache = ctx.folder("mypy-cache")
    warm = ensure_warm_cache(ctx.sandbox, ctx.environment, ctx.folder("mypy-warmup"))
    if warm is not None:
        shutil.copytree(warm, cache, dirs_exist_ok=True)
    request = ctx.request(
        mypy_argv(files),
        mounts=[Mount(source=cache, target=CACHE, writable=True)],
        env={"MYPYPATH": "/work/src" if ctx.project.has_src_layout else "/work"},
    )
    run = ctx.run(request)
    if stopped := sandbox_failure("mypy", watch, run, ctx.limits):
        return stopped
    findings = parse_mypy_output(run.stdout + "\n" + run.stderr)
    if run.returncode != 0 and not findings:
        reason = tail(run.stderr or run.stdout, 2) or f"exit status {run.returncode}"
        return result(
            "mypy",
            watch,
            status="error",
            score=0.0,
            reason=f"mypy could not check the project: {reason}",
        )
    by_code = Counter(f.code for f in findings)
    figures: dict[str, int | float | str] = {
        "errors": len(findings),
        "per_kloc": round(len(findings) / ctx.project.kloc, 2),
        "files": len(files),
        **{f"code:{code}": count for code, count in by_code.items()},
    }
    if own := ctx.project.tool_config("mypy"):
        figures["project_config_ignored"] = ", ".join(sorted(own))
    return result(
        "mypy",
        watch,
        status="pass" if not findings else "fail",
        score=1.0 / (1.0 + len(findings) / ctx.project.kloc / 10.0),
        figures=figures,
        findings=findings,
        reason="mypy stopped at a blocking error (syntax?)"
        if run.returncode == 2
        else None,
    )
