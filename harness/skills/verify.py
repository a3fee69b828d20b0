"""``harness skill verify``: run a skill's code and its claim probes in the evaluation environment.

Type-checking an example does not prove it runs, and a sentence about a library stays true
only until the library changes. So, in one pytest session in the sandbox, under ``-W error``
(every warning is a failure, at import and in tests):

- every Python block of the skill's Markdown that is not marked ``<!-- fragment: ... -->``
  is executed: a block holding tests (``def test_``, fixtures) runs as a test module; any
  other block is imported, so its module-level code runs. A block needs no fixture to run:
  the lint already requires it to be complete. Blocks find each other by their
  ``<!-- file: src/app/x.py -->`` markers (``src/`` is on the path);
- every claim probe of ``evals/claims/`` runs (:mod:`harness.skills.claims`). A probe
  imports the blocks it exercises by those names (``import app.log``) and gets fixtures
  from the probes' ``conftest.py``; it sees the skill read-only at ``$SKILL_DIR``
  (``/skill``), the scorer's configs at ``$SCORER_CONFIGS`` and a warm mypy cache at
  ``$MYPY_CACHE_DIR``. A failing probe names the sentences it guards: they went stale,
  because the library changed under the lock or the text was wrong.

Links from probes to sentences are checked before anything runs; an orphaned link fails
the verification like a stale claim.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from harness.safefs import scratch_folder
from harness.sandbox import OUT, VENV_PYTHON, Mount, SandboxLimits, SandboxRequest
from harness.scoring.checks.pytest_results import PytestSummary, read_report
from harness.scoring.context import CONFIGS, CONFIGS_DIR
from harness.skills.blocks import (
    CodeBlock,
    check_block_text,
    extract_blocks,
    write_blocks,
)
from harness.skills.claims import CLAIMS_DIR, Claim, check_claims
from harness.skills.files import resolve_skill_dir, skill_files
from harness.skills.issues import Issue, sort_issues

if TYPE_CHECKING:
    from harness.environment import EvaluationEnvironment
    from harness.sandbox import Sandbox

SKILL_MOUNT = PurePosixPath("/skill")
CACHE = PurePosixPath("/cache")
RUNNER = "test_blocks_run.py"
PER_TEST_TIMEOUT_S = 120
_PYTEST_INI = f"""[pytest]
addopts = -p no:asyncio -p no:cacheprovider
filterwarnings = error
timeout = {PER_TEST_TIMEOUT_S}
console_output_style = classic
markers =
    claim(file, text): the sentence of the skill this probe guards
"""


class BlockRun(BaseModel):
    """What executing one block did.

    Attributes:
        path: The Markdown file, relative to the skill.
        line: The line of the block's opening fence.
        file: Where the block was written (its ``file`` marker, or a numbered name).
        kind: ``module`` (imported) or ``tests`` (run by pytest).
        status: ``pass`` or ``fail``.
        tests: Tests the block holds (0 for a module).
        message: Why it failed.
    """

    model_config = ConfigDict(extra="forbid")

    path: str
    line: int
    file: str
    kind: Literal["module", "tests"]
    status: Literal["pass", "fail"]
    tests: int = 0
    message: str | None = None


class ClaimRun(BaseModel):
    """What the probe of one sentence said.

    Attributes:
        file: The skill file stating the sentence.
        line: Where the sentence starts (None when it is gone).
        text: The excerpt the probe's marker quotes.
        probe: The probe test (``test_x.py::test_y``, in ``evals/claims/``).
        status: ``pass``; ``stale`` (the probe failed: the sentence no longer holds);
            ``orphaned`` (the sentence is gone); ``not-run`` (the probe did not run:
            it could not be imported, or it was skipped).
        message: The probe's failure, when it failed.
    """

    model_config = ConfigDict(extra="forbid")

    file: str
    line: int | None
    text: str
    probe: str
    status: Literal["pass", "stale", "orphaned", "not-run"]
    message: str | None = None


class VerifyReport(BaseModel):
    """Everything ``harness skill verify`` found.

    Attributes:
        skill: The skill's folder name.
        path: The skill folder.
        lock_hash: The evaluation environment the code ran in (its ``uv.lock`` hash).
        seconds: Wall time of the whole verification.
        blocks: One entry per executed block.
        claims: One entry per guarded sentence.
        issues: Problems outside the blocks and probes (links, the run itself).
        figures: Counts.
    """

    model_config = ConfigDict(extra="forbid")

    skill: str
    path: str
    lock_hash: str
    seconds: float
    blocks: list[BlockRun] = Field(default_factory=list)
    claims: list[ClaimRun] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    figures: dict[str, int | float | str] = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every block ran, every probe held and no error was found."""
        return (
            all(block.status == "pass" for block in self.blocks)
            and all(claim.status == "pass" for claim in self.claims)
            and not any(issue.severity == "error" for issue in self.issues)
        )


def _module_name(filename: str) -> str:
    path = PurePosixPath(filename)
    parts = path.with_suffix("").parts
    return ".".join(parts[1:] if parts[0] == "src" and len(parts) > 1 else parts)


def _runner(modules: dict[str, str]) -> str:
    """A test module that imports every non-test block, one test per block."""
    return (
        '"""Generated by harness skill verify: import every block that is not a test."""\n\n'
        "import importlib\n\nimport pytest\n\n"
        f"BLOCKS = {json.dumps(modules, indent=4)}\n\n\n"
        "@pytest.mark.parametrize('module', list(BLOCKS.values()), ids=list(BLOCKS))\n"
        "def test_block_runs(module: str) -> None:\n"
        "    importlib.import_module(module)\n"
    )


def _copy_probes(source: Path, target: Path) -> None:
    """Copy the probes' regular files (never a link, never a cache), if there are any."""
    if not source.is_dir() or source.is_symlink():
        return
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        destination = target / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("E ")]
    return (errors[-1][1:].strip() if errors else lines[0] if lines else "")[:400]


class SkillVerifier:
    """Executes a skill's blocks and claim probes in the sandbox, in one pytest run."""

    def __init__(
        self,
        sandbox: Sandbox,
        environment: EvaluationEnvironment,
        *,
        limits: SandboxLimits | None = None,
    ) -> None:
        """Use this sandbox and environment.

        Args:
            sandbox: The door the code goes through.
            environment: The evaluation environment (built) the code runs in.
            limits: Limits of the one pytest run.
        """
        self.sandbox = sandbox
        self.environment = environment
        self.limits = limits or SandboxLimits(wall_seconds=900, cpu_seconds=1800)

    def verify(self, path: Path) -> VerifyReport:
        """Run the skill's blocks and probes; say what failed and which sentences went stale.

        Args:
            path: The skill folder, or its SKILL.md.

        Returns:
            The report; ``report.ok`` is False when anything failed.

        Raises:
            UsageError: When the path holds no skill.
        """
        started = time.monotonic()
        root = resolve_skill_dir(path)
        blocks: list[CodeBlock] = []
        fragments = 0
        for rel in skill_files(root):
            if not rel.endswith(".md"):
                continue
            text = (root / rel).read_text(encoding="utf-8", errors="replace")
            for block in extract_blocks(text, rel):
                if block.is_python and block.fragment is not None:
                    fragments += 1
                if check_block_text(block)[1]:
                    blocks.append(block)
        claims, issues, figures = check_claims(root)
        # The sandbox writes in parts of the scratch folder: removed without following links.
        with scratch_folder("hs-verify-") as scratch:
            block_runs, claim_runs, problems = self._run(scratch, root, blocks, claims)
        figures |= {
            "blocks_executed": len(block_runs),
            "blocks_passed": sum(1 for b in block_runs if b.status == "pass"),
            "block_tests": sum(b.tests for b in block_runs),
            "fragments": fragments,
            "claims_held": sum(1 for c in claim_runs if c.status == "pass"),
        }
        return VerifyReport(
            skill=root.name,
            path=str(root),
            lock_hash=self.environment.lock_hash,
            seconds=round(time.monotonic() - started, 2),
            blocks=block_runs,
            claims=claim_runs,
            issues=sort_issues(issues + problems),
            figures=dict(sorted(figures.items())),
        )

    def _run(
        self, scratch: Path, root: Path, blocks: list[CodeBlock], claims: list[Claim]
    ) -> tuple[list[BlockRun], list[ClaimRun], list[Issue]]:
        work, out, cache = scratch / "work", scratch / "out", scratch / "cache"
        for folder in (work / "blocks", out, cache):
            folder.mkdir(parents=True)
        written, issues = write_blocks(blocks, work / "blocks")
        modules = {
            f"{b.path}:{b.line}": _module_name(name)
            for name, b in written.items()
            if not b.looks_like_test
        }
        targets = [f"blocks/{n}" for n, b in written.items() if b.looks_like_test]
        if modules:
            (work / RUNNER).write_text(_runner(modules), encoding="utf-8")
            targets.insert(0, RUNNER)
        (work / "pytest.ini").write_text(_PYTEST_INI, encoding="utf-8")
        _copy_probes(root / CLAIMS_DIR, work / "claims")
        if (work / "claims").is_dir():
            targets.append("claims")
        if not targets:
            return [], _claim_runs(claims, PytestSummary()), issues
        self._warm(scratch, cache)
        argv = [
            VENV_PYTHON, "-W", "error", "-m", "pytest", "-c", "/work/pytest.ini",
            "--rootdir", "/work", "-p", "scorer_pytest_report",
            "--scorer-report", f"{OUT}/report.jsonl", "-q", "--color=no",
            "--continue-on-collection-errors", "-W", "error", *targets,
        ]  # fmt: skip
        request = SandboxRequest(
            argv=argv,
            workspace=work,
            mounts=[
                Mount(source=CONFIGS_DIR, target=CONFIGS),
                Mount(source=root, target=SKILL_MOUNT),
                Mount(source=cache, target=CACHE, writable=True),
                Mount(source=out, target=OUT, writable=True),
            ],
            env={
                "PYTHONPATH": "/harness:/work/blocks/src:/work/blocks",
                "SKILL_DIR": str(SKILL_MOUNT),
                "MYPY_CACHE_DIR": str(CACHE),
                "SCORER_CONFIGS": str(CONFIGS),
            },
            limits=self.limits,
        )
        run = self.sandbox.run(request)
        summary = read_report(out / "report.jsonl")
        if run.killed is not None or summary.exit_status not in {0, 1}:
            why = run.describe_failure(self.limits) or (run.stderr or run.stdout)[-600:]
            issues.append(
                Issue(
                    code="verify-failed",
                    severity="error",
                    message=f"the blocks and probes did not run to the end: {why.strip()}",
                )
            )
        return (
            _block_runs(written, summary),
            _claim_runs(claims, summary),
            issues,
        )

    def _warm(self, scratch: Path, cache: Path) -> None:
        """Copy the warm mypy cache in, so a probe that runs mypy takes a second, not ten."""
        from harness.scoring.checks.typecheck import ensure_warm_cache

        warmup = scratch / "warmup"
        warmup.mkdir()
        warm = ensure_warm_cache(self.sandbox, self.environment, warmup)
        if warm is not None:
            shutil.copytree(warm, cache, dirs_exist_ok=True)


def _block_runs(
    written: dict[str, CodeBlock], summary: PytestSummary
) -> list[BlockRun]:
    runs: list[BlockRun] = []
    broken = dict(summary.collection_errors)
    for name, block in written.items():
        message: str | None
        if not block.looks_like_test:
            node = f"{RUNNER}::test_block_runs[{block.path}:{block.line}]"
            outcome = summary.outcomes.get(node)
            failed = outcome != "passed"
            message = (
                _first_line(summary.messages.get(node, "")) or "did not run"
                if failed
                else None
            )
            runs.append(
                BlockRun(
                    path=block.path,
                    line=block.line,
                    file=name,
                    kind="module",
                    status="fail" if failed else "pass",
                    message=message,
                )
            )
            continue
        module = f"blocks/{name}"
        tests = {
            node: outcome
            for node, outcome in summary.outcomes.items()
            if node.startswith(f"{module}::")
        }
        bad = [node for node, outcome in tests.items() if outcome != "passed"]
        if module in broken:
            message = f"does not import: {_first_line(broken[module])}"
        elif bad:
            message = (
                f"{len(bad)} of {len(tests)} tests failed; {bad[0].split('::', 1)[1]}: "
                f"{_first_line(summary.messages.get(bad[0], tests[bad[0]]))}"
            )
        else:
            message = None
        runs.append(
            BlockRun(
                path=block.path,
                line=block.line,
                file=name,
                kind="tests",
                status="fail" if message else "pass",
                tests=len(tests),
                message=message,
            )
        )
    return runs


def _claim_runs(claims: list[Claim], summary: PytestSummary) -> list[ClaimRun]:
    runs: list[ClaimRun] = []
    broken = dict(summary.collection_errors)
    for claim in claims:
        node = f"claims/{claim.probe}"
        module = node.split("::", 1)[0]
        outcomes = {
            nodeid: outcome
            for nodeid, outcome in summary.outcomes.items()
            if nodeid == node or nodeid.startswith(f"{node}[")
        }
        failed = [
            n for n, outcome in outcomes.items() if outcome in {"failed", "error"}
        ]
        status: Literal["pass", "stale", "orphaned", "not-run"]
        message = None
        if claim.line is None:
            status = "orphaned"
        elif failed:
            status = "stale"
            message = _first_line(summary.messages.get(failed[0], "failed"))
        elif module in broken:
            status, message = (
                "not-run",
                f"does not import: {_first_line(broken[module])}",
            )
        elif not outcomes or any(o != "passed" for o in outcomes.values()):
            status, message = (
                "not-run",
                "the probe did not run (skipped or not collected)",
            )
        else:
            status = "pass"
        runs.append(
            ClaimRun(
                file=claim.file,
                line=claim.line,
                text=claim.text,
                probe=claim.probe,
                status=status,
                message=message,
            )
        )
    return runs


__all__ = ["BlockRun", "ClaimRun", "SkillVerifier", "VerifyReport"]
