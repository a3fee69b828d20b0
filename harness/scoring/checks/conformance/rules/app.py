"""The application object: startup and shutdown in ``lifespan``."""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    calls,
    finding,
)
from harness.scoring.checks.conformance.registry import Outcome, rule


@rule("lifespan")
def rule_lifespan(index: ProjectIndex) -> Outcome:
    """Startup and shutdown go in ``lifespan``, not ``on_event``."""
    applicable = any(f.imports("fastapi", "starlette") for f in index.app)
    findings = [
        finding(
            "lifespan",
            file,
            call,
            f"{ast.unparse(call.func)}() is deprecated: use FastAPI(lifespan=...)",
        )
        for file in index.app
        for call in calls(file.tree)
        if isinstance(call.func, ast.Attribute)
        and call.func.attr in {"on_event", "add_event_handler"}
    ]
    return Outcome(applicable=applicable or bool(findings), findings=findings)
