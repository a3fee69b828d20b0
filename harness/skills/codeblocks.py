"""Fenced code blocks in a skill's Markdown: find them, and check the Python ones like code.

A Python block must be complete and clean: it parses, and ``ruff check`` (the scorer's
``configs/ruff.toml``), ``ruff format --check`` and ``mypy --strict`` (``configs/mypy.ini``)
find nothing, with the evaluation environment's packages importable. The tools run in the
sandbox over a temporary workspace holding one file per block, each tool once for all
blocks. A block that must stay a fragment says so just before its fence::

    <!-- fragment: shows only the changed lines -->

Blocks that look like tests (``def test_``, pytest fixtures) are written as ``test_*.py``,
so the per-file rules for tests apply to them as they would in a project. A block can name
the project file it shows, so that other blocks may import it (and path-based rules apply)::

    <!-- file: src/app/posts/service.py -->

Blocks with ``file`` markers form one small project: ``from app.posts import service`` in
another block resolves to it (``src/`` is on the import path).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import sys
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from harness.safefs import scratch_folder
from harness.sandbox import Mount, SandboxLimits, SandboxRequest
from harness.scoring.checks.lint import parse_ruff_json
from harness.scoring.checks.typecheck import parse_mypy_output
from harness.scoring.context import CONFIGS, CONFIGS_DIR
from harness.scoring.models import Finding
from harness.skills.blocks import (
    PYTHON_LANGS,
    CodeBlock,
    check_block_text,
    extract_blocks,
    prose_lines,
    write_blocks,
)
from harness.skills.issues import Issue

if TYPE_CHECKING:
    from harness.environment import EvaluationEnvironment
    from harness.sandbox import Sandbox, SandboxResult

RUFF = "/venv/bin/ruff"
CACHE = PurePosixPath("/cache")


# Tool checks ---------------------------------------------------------------------------


def _imported_roots(code: str) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def _installed_roots(environment: EvaluationEnvironment) -> set[str]:
    roots: set[str] = set()
    try:
        site = environment.site_packages()
    except Exception:  # noqa: BLE001 - a missing environment only weakens isort's guess
        return roots
    for entry in site.iterdir():
        name = entry.name
        if name.endswith((".dist-info", ".pth")):
            continue
        roots.add(name.split(".")[0].split("-")[0])
    return roots


class BlockChecker:
    """Runs ruff, ruff format and mypy over many blocks at once, in the sandbox."""

    def __init__(
        self,
        sandbox: Sandbox,
        environment: EvaluationEnvironment,
        *,
        limits: SandboxLimits | None = None,
    ) -> None:
        """Use this sandbox and environment.

        Args:
            sandbox: The door every tool goes through.
            environment: The evaluation environment (built), whose tools and packages
                the blocks are checked with.
            limits: Limits per tool run.
        """
        self.sandbox = sandbox
        self.environment = environment
        self.limits = limits or SandboxLimits(wall_seconds=300)

    def check(self, blocks: list[CodeBlock]) -> tuple[list[Issue], dict[str, int]]:
        """Check the blocks; one ruff, one format and one mypy run in all.

        Args:
            blocks: Python blocks that parse (see :func:`check_block_text`).

        Returns:
            Issues located in the Markdown files, and timings-free figures.
        """
        if not blocks:
            return [], {}
        with scratch_folder("hs-skill-") as scratch:
            return self._check_in(scratch, blocks)

    def _check_in(
        self, scratch: Path, blocks: list[CodeBlock]
    ) -> tuple[list[Issue], dict[str, int]]:
        workspace = scratch / "blocks"
        workspace.mkdir()
        by_file, clashes = write_blocks(blocks, workspace)
        imported: set[str] = set()
        for block in by_file.values():
            imported |= _imported_roots(block.code)
        blocks = list(by_file.values())
        local = sorted(
            root
            for root in imported
            if root not in sys.stdlib_module_names
            and root not in _installed_roots(self.environment)
        )
        files = sorted(by_file)
        issues = clashes + self._ruff(workspace, files, local, by_file)
        issues += self._format(workspace, files, by_file)
        issues += self._mypy(scratch, workspace, files, by_file)
        dirty = {
            (block.path, block.line)
            for issue in issues
            for block in blocks
            if issue.path == block.path
            and issue.line is not None
            and block.line < issue.line <= block.line + block.code.count("\n")
        }
        return issues, {
            "python_blocks_checked": len(files),
            "python_blocks_clean": len(files) - len(dirty),
        }

    def _request(
        self,
        argv: list[str],
        workspace: Path,
        mounts: list[Mount] | None = None,
        env: dict[str, str] | None = None,
    ) -> SandboxRequest:
        return SandboxRequest(
            argv=argv,
            workspace=workspace,
            mounts=[Mount(source=CONFIGS_DIR, target=CONFIGS), *(mounts or [])],
            env=env or {},
            limits=self.limits,
        )

    def _tool_failed(self, tool: str, run: SandboxResult) -> Issue:
        why = run.describe_failure(self.limits) or (
            f"exit status {run.returncode}: "
            + " | ".join((run.stderr or run.stdout).strip().splitlines()[-2:])
        )
        return Issue(
            code=f"{tool}-failed",
            severity="error",
            message=f"{tool} could not check the blocks: {why[:300]}",
        )

    def _locate(
        self, by_file: dict[str, CodeBlock], filename: str, line: int | None
    ) -> tuple[CodeBlock | None, int | None]:
        block = by_file.get(filename.removeprefix("/work/").removeprefix("./"))
        if block is None:
            return None, None
        return block, block.first_code_line + (line or 1) - 1

    def _ruff(
        self,
        workspace: Path,
        files: list[str],
        local: list[str],
        by_file: dict[str, CodeBlock],
    ) -> list[Issue]:
        argv = [
            RUFF, "check", "--config", f"{CONFIGS}/ruff.toml", "--no-cache",
            "--output-format", "json", "--exit-zero",
        ]  # fmt: skip
        if local:
            # Imports of the project the block belongs to are first-party, as in a project.
            argv += ["--config", f"lint.isort.known-first-party = {json.dumps(local)}"]
        run = self.sandbox.run(self._request([*argv, "--", *files], workspace))
        if run.killed is not None:
            return [self._tool_failed("ruff", run)]
        findings = parse_ruff_json(run.stdout)
        if findings is None:
            return [self._tool_failed("ruff", run)]
        return self._issues("ruff", findings, by_file)

    def _issues(
        self, tool: str, findings: list[Finding], by_file: dict[str, CodeBlock]
    ) -> list[Issue]:
        """The scorer's findings on block files, pointed back at the Markdown lines."""
        issues: list[Issue] = []
        for finding in findings:
            block, line = self._locate(by_file, finding.path or "", finding.line)
            if block is None:
                continue
            issues.append(
                Issue(
                    code=f"{tool}:{finding.code}",
                    severity="error",
                    message=f"{finding.message} (python block at line {block.line})",
                    path=block.path,
                    line=line,
                )
            )
        return issues

    def _format(
        self, workspace: Path, files: list[str], by_file: dict[str, CodeBlock]
    ) -> list[Issue]:
        argv = [
            RUFF, "format", "--check", "--diff", "--config", f"{CONFIGS}/ruff.toml",
            "--no-cache", "--", *files,
        ]  # fmt: skip
        run = self.sandbox.run(self._request(argv, workspace))
        if run.killed is not None or run.returncode not in (0, 1):
            return [self._tool_failed("ruff format", run)]
        issues: list[Issue] = []
        current: CodeBlock | None = None
        reported: set[str] = set()
        for text in run.stdout.splitlines():
            if text.startswith("--- "):
                current, _ = self._locate(by_file, text[4:].strip(), None)
            elif text.startswith("@@ -") and current is not None:
                if current.path + str(current.line) in reported:
                    continue
                reported.add(current.path + str(current.line))
                start = int(re.split(r"[ ,]", text[4:])[0] or 1)
                issues.append(
                    Issue(
                        code="format",
                        severity="error",
                        message="`ruff format` would change this block (python block at "
                        f"line {current.line}): run `ruff format` on it",
                        path=current.path,
                        line=current.first_code_line + max(start, 1) - 1,
                    )
                )
        return issues

    def _mypy(
        self,
        scratch: Path,
        workspace: Path,
        files: list[str],
        by_file: dict[str, CodeBlock],
    ) -> list[Issue]:
        from harness.scoring.checks.typecheck import ensure_warm_cache, mypy_argv

        cache = scratch / "cache"
        cache.mkdir()
        warmup = scratch / "warmup"
        warmup.mkdir()
        warm = ensure_warm_cache(self.sandbox, self.environment, warmup)
        if warm is not None:
            shutil.copytree(warm, cache, dirs_exist_ok=True)
        request = self._request(
            mypy_argv(files),
            workspace,
            mounts=[Mount(source=cache, target=CACHE, writable=True)],
            env={"MYPYPATH": "/work/src:/work"},
        )
        run = self.sandbox.run(request)
        findings = parse_mypy_output(run.stdout)
        # Exit status 2 with findings is a blocking error (a syntax error): still findings.
        if run.killed is not None or (run.returncode != 0 and not findings):
            return [self._tool_failed("mypy", run)]
        return self._issues("mypy", findings, by_file)


__all__ = [
    "PYTHON_LANGS",
    "BlockChecker",
    "CodeBlock",
    "check_block_text",
    "extract_blocks",
    "prose_lines",
]
