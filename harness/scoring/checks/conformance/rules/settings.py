"""Settings are not read at import time."""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    finding,
)
from harness.scoring.checks.conformance.registry import Outcome, rule
from harness.scoring.results import Finding


@rule("settings-not-at-import")
def rule_settings_not_at_import(index: ProjectIndex) -> Outcome:
    """Settings are built on demand (a cached function), not at import time."""
    settings_classes: set[str] = set()
    for file in index.app:
        for node in ast.walk(file.tree):
            if isinstance(node, ast.ClassDef) and any(
                (file.qualify(base) or "").endswith("BaseSettings")
                for base in node.bases
            ):
                settings_classes.add(node.name)
    if not settings_classes:
        return Outcome(applicable=False)
    # Functions that return settings (``get_settings``) read them too when called at import.
    readers = set(settings_classes)
    for file in index.app:
        for node in ast.walk(file.tree):
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and node.returns is not None
                and ast.unparse(node.returns) in settings_classes
            ):
                readers.add(node.name)
    findings: list[Finding] = []
    for file in index.app:
        for stmt in file.tree.body:
            value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
            if (
                isinstance(value, ast.Call)
                and (file.qualify(value.func) or "").rsplit(".", 1)[-1] in readers
            ):
                findings.append(
                    finding(
                        "settings-not-at-import",
                        file,
                        stmt,
                        f"module-level {ast.unparse(value)} reads the environment at import "
                        "time: use a get_settings() with lru_cache and a SettingsDep",
                    )
                )
    return Outcome(applicable=True, findings=findings)
