"""The ``mypy`` check: ``--strict`` with the pydantic plugin, under the harness's configuration."""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
from collections import Counter
from pathlib import Path, PurePosixPath

from harness.environment import EvaluationEnvironment
from harness.project import copy_project, load_project
from harness.sandbox import (
    OUT,
    TOOL_PYTHON,
    Mount,
    Sandbox,
    SandboxLimits,
    SandboxRequest,
)
from harness.scoring.context import (
    CONFIGS,
    CONFIGS_DIR,
    ScoringContext,
    Stopwatch,
    result,
    sandbox_failure,
    tail,
)
from harness.scoring.results import CheckResult, Finding
from harness.scoring.suppressions import judged_copy, suppression_note

logger = logging.getLogger(__name__)

CACHE = PurePosixPath("/cache")
WARMUP_PROJECT = Path(__file__).resolve().parent.parent / "warmup_project"
_TEXT_LINE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?:\d+:)? (?P<severity>error|note): "
    r"(?P<message>.*?)(?:  \[(?P<code>[\w-]+)\])?$"
)


def mypy_argv(files: list[str], config: str = f"{CONFIGS}/mypy.ini") -> list[str]:
    """The mypy command line the scorer uses, for the given files and configuration.

    Its working directory stays ``/work`` (``explicit_package_bases`` names modules from
    it), but ``-P`` keeps it off ``sys.path``: a project's ``mypy.py`` is never imported.
    """
    return [
        *TOOL_PYTHON, "-m", "mypy", "--config-file", config,
        "--cache-dir", str(CACHE), "--output", "json", "--no-color-output", "--", *files,
    ]  # fmt: skip


#: Strict flags whose errors only repeat that an import is missing (its names are Any).
RELAXED_FOR_MISSING = (
    "disallow_subclassing_any",
    "disallow_untyped_decorators",
    "warn_return_any",
)


def mypy_config(
    target: str, missing: tuple[str, ...] = (), importers: tuple[str, ...] = ()
) -> str:
    """The scorer's mypy configuration for one project.

    Args:
        target: The Python version the code is checked for (``3.12``).
        missing: Top-level modules nothing provides: treated as missing-but-ignored, so
            that a package absent from the environment (charged once, by the
            ``dependencies`` check) neither stops mypy nor hides the real type errors.
        importers: The project's modules that import a missing one: in those alone, the
            strict flags that would only repeat the missing import
            (:data:`RELAXED_FOR_MISSING`: subclassing, decorating with or returning its
            Any-typed names) are off.

    Returns:
        The text of ``configs/mypy.ini`` with those changes.
    """
    text = re.sub(
        r"^python_version = .*$",
        f"python_version = {target}",
        (CONFIGS_DIR / "mypy.ini").read_text(encoding="utf-8"),
        count=1,
        flags=re.MULTILINE,
    )
    if missing:
        modules = ",".join(f"{name},{name}.*" for name in missing)
        text += f"\n[mypy-{modules}]\nignore_missing_imports = True\n"
    if importers:
        relaxed = "".join(f"{flag} = False\n" for flag in RELAXED_FOR_MISSING)
        text += f"\n[mypy-{','.join(importers)}]\n{relaxed}"
    return text


def _blocking_reason(stdout: str, stderr: str) -> str:
    """Mypy's own words for why it stopped before checking (exit status 2)."""
    for line in (stdout + "\n" + stderr).splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if item.get("severity") == "error":
                return f"{item.get('file', '')}: {item.get('message', '')}".strip(": ")
        elif ": error: " in line:
            return line.removeprefix("/work/")
    return tail(stderr or stdout, 2) or "exit status 2"


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
    # The first scoring after a build checks the libraries once: say so, it is long.
    logger.info(
        "warming the mypy cache on the environment's libraries (once; up to a minute) ..."
    )
    started = time.monotonic()
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
        logger.info("the mypy cache could not be warmed: mypy runs cold (slower)")
        return None
    logger.info("mypy cache warm in %.0f s", time.monotonic() - started)
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
    """Type-check every Python file with ``mypy --strict`` (ignoring the project's own config).

    Files map to modules through the project's layout (``MYPYPATH``); modules nothing
    provides are missing-but-ignored, and the code is checked at the Python version the
    project declares. mypy's exit status 2 (it stopped before checking) is an ``error``
    with mypy's reason, never a score. mypy reads a copy of the project where its inline
    configuration (``# mypy: ...``), module-wide and code-less ``# type: ignore`` comments
    and ``@no_type_check`` are inert (:mod:`harness.scoring.suppressions`).
    """
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
    out = ctx.folder("out-mypy")
    missing = ctx.fit.missing_modules
    importers = tuple(
        sorted(
            {
                ctx.project.layout.module_of(rel)
                for name in missing
                for rel in ctx.project.imports[name]
            }
        )
    )
    (out / "mypy.ini").write_text(
        mypy_config(ctx.fit.target_text, missing, importers), encoding="utf-8"
    )
    mypy_path = ctx.mypy_path()
    judged = judged_copy(ctx.pristine, files, "mypy", ctx.scratch / "judged-mypy")
    request = ctx.request(
        mypy_argv(files, f"{OUT}/mypy.ini"),
        workspace=judged.root,
        out=out,
        mounts=[Mount(source=cache, target=CACHE, writable=True)],
        env={"MYPYPATH": mypy_path},
    )
    run = ctx.run(request)
    if stopped := sandbox_failure("mypy", watch, run, ctx.limits):
        return stopped
    findings = parse_mypy_output(run.stdout + "\n" + run.stderr)
    figures: dict[str, int | float | str] = {
        "files": len(files),
        "mypy_path": mypy_path,
    }
    if missing:
        figures["missing_ignored"] = ", ".join(missing)
        figures["relaxed_in"] = ", ".join(importers)
    if own := ctx.project.ignored_configs("mypy"):
        figures["project_config_ignored"] = ", ".join(own)
    if judged.switches:
        figures["suppressions_ignored"] = len(judged.switches)
    if run.returncode == 2 or (run.returncode != 0 and not findings):
        reason = _blocking_reason(run.stdout, run.stderr)
        return result(
            "mypy",
            watch,
            status="error",
            score=0.0,
            figures=figures,
            findings=findings,
            reason=f"mypy stopped before checking the project: {reason}",
        )
    by_code = Counter(f.code for f in findings)
    figures |= {
        "errors": len(findings),
        "per_kloc": round(len(findings) / ctx.project.kloc, 2),
        **{f"code:{code}": count for code, count in by_code.items()},
    }
    return result(
        "mypy",
        watch,
        status="pass" if not findings else "fail",
        score=1.0 / (1.0 + len(findings) / ctx.project.kloc / 10.0),
        figures=figures,
        findings=judged.findings() + findings,
        reason=suppression_note(judged.switches),
    )
