"""Alembic migrations can be reverted."""

from __future__ import annotations

import ast
from pathlib import PurePosixPath

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    finding,
)
from harness.scoring.checks.conformance.registry import Outcome, rule
from harness.scoring.results import Finding


def _does_nothing(function: ast.FunctionDef) -> bool:
    body = [
        stmt
        for stmt in function.body
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))
    ]
    return all(isinstance(stmt, ast.Pass) for stmt in body)


@rule("alembic-downgrade")
def rule_alembic_downgrade(index: ProjectIndex) -> Outcome:
    """Every migration can be reverted."""
    migrations = [
        f
        for f in index.files
        if f.is_migration and "versions" in PurePosixPath(f.rel).parts
    ]
    applicable = False
    findings: list[Finding] = []
    for file in migrations:
        functions = {
            node.name: node
            for node in file.tree.body
            if isinstance(node, ast.FunctionDef)
        }
        if "upgrade" not in functions:
            continue
        applicable = True
        downgrade = functions.get("downgrade")
        if downgrade is None or (
            _does_nothing(downgrade) and not _does_nothing(functions["upgrade"])
        ):
            findings.append(
                finding(
                    "alembic-downgrade",
                    file,
                    downgrade,
                    "migration without a working downgrade(): write the reverse operations",
                )
            )
    return Outcome(applicable=applicable, findings=findings)
