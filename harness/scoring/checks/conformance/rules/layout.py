"""Where code lives: the src layout and one package per domain."""

from __future__ import annotations

from pathlib import PurePosixPath

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    finding,
    routes,
)
from harness.scoring.checks.conformance.registry import Outcome, rule
from harness.scoring.results import Finding

_OPEN_ROUTES = frozenset(
    {"/", "", "/health", "/healthz", "/ready", "/readyz", "/livez"}
)


@rule("src-layout")
def rule_src_layout(index: ProjectIndex) -> Outcome:
    """Application code under ``src/``, with a ``pyproject.toml`` at the root."""
    app = index.app
    if not app:
        return Outcome(applicable=False)
    findings: list[Finding] = []
    if "pyproject.toml" not in index.all_files:
        findings.append(
            Finding(
                code="src-layout",
                message="no pyproject.toml at the project root: declare the project and its "
                "tools there",
            )
        )
    outside = [f for f in app if not f.rel.startswith("src/")]
    findings += [
        finding(
            "src-layout",
            file,
            None,
            "application code outside src/: use the src layout (src/app/...)",
        )
        for file in outside
    ]
    return Outcome(applicable=True, findings=findings)


@rule("domain-layout")
def rule_domain_layout(index: ProjectIndex) -> Outcome:
    """Routes live in ``<domain>/router.py`` next to ``schemas.py`` and ``service.py``."""
    found = [r for r in routes(index) if r.path not in _OPEN_ROUTES]
    if not found:
        return Outcome(applicable=False)
    present = set(index.all_files)
    findings: list[Finding] = []
    for file in sorted(
        {r.file.rel: r.file for r in found}.values(), key=lambda f: f.rel
    ):
        path = PurePosixPath(file.rel)
        folder = path.parent
        missing = [
            name
            for name in ("schemas.py", "service.py")
            if (folder / name).as_posix() not in present
        ]
        if path.name != "router.py" or folder == PurePosixPath("src") or missing:
            what = (
                f"missing {' and '.join(missing)} beside it"
                if path.name == "router.py" and missing
                else "routes outside a domain's router.py"
            )
            findings.append(
                finding(
                    "domain-layout",
                    file,
                    None,
                    f"{what}: put each domain's routes in <domain>/router.py beside "
                    "schemas.py and service.py",
                )
            )
    return Outcome(applicable=True, findings=findings)
