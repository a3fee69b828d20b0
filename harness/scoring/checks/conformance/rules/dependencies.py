"""Dependencies are declared with ``Annotated``."""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    finding,
)
from harness.scoring.checks.conformance.registry import Outcome, rule
from harness.scoring.results import Finding


@rule("annotated-dependencies")
def rule_annotated_dependencies(index: ProjectIndex) -> Outcome:
    """Dependencies are declared with ``Annotated``, never as parameter defaults."""
    applicable = False
    findings: list[Finding] = []
    for file in index.app:
        for node in ast.walk(file.tree):
            if isinstance(node, ast.Call) and file.qualify(node.func) in {
                "fastapi.Depends",
                "fastapi.Security",
                "fastapi.params.Depends",
            }:
                applicable = True
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]
            for default in defaults:
                if isinstance(default, ast.Call) and (
                    file.qualify(default.func) or ""
                ).rsplit(".", 1)[-1] in {"Depends", "Security"}:
                    findings.append(
                        finding(
                            "annotated-dependencies",
                            file,
                            default,
                            f"`= {ast.unparse(default)}` in {node.name}(): declare it as "
                            "`name: Annotated[T, Depends(...)]` (or an alias)",
                        )
                    )
    return Outcome(applicable=applicable or bool(findings), findings=findings)
