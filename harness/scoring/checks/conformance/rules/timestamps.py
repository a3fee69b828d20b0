"""Timestamps carry a time zone, in Python and in the database."""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    SourceFile,
    finding,
    is_true,
    keyword,
)
from harness.scoring.checks.conformance.registry import Outcome, rule
from harness.scoring.results import Finding

_NAIVE_TIME = {
    "datetime.datetime.utcnow": "datetime.utcnow() is naive and deprecated: "
    "use datetime.now(UTC)",
    "datetime.datetime.utcfromtimestamp": "utcfromtimestamp() is naive and deprecated: "
    "use datetime.fromtimestamp(ts, UTC)",
    "datetime.datetime.today": "datetime.today() is naive: use datetime.now(UTC)",
}


def _column_zone(file: SourceFile, call: ast.Call) -> str:
    """``aware``, ``naive`` or ``none``: the DateTime type a column call declares."""
    for arg in [*call.args, *(k.value for k in call.keywords if k.arg == "type_")]:
        target = arg.func if isinstance(arg, ast.Call) else arg
        if (file.qualify(target) or "").rsplit(".", 1)[-1] in {"DateTime", "TIMESTAMP"}:
            aware = isinstance(arg, ast.Call) and is_true(keyword(arg, "timezone"))
            return "aware" if aware else "naive"
    return "none"


def _zone_mapped_by_base(index: ProjectIndex) -> bool:
    """Whether a ``type_annotation_map`` maps datetime to ``DateTime(timezone=True)``."""
    for file in index.app:
        for node in ast.walk(file.tree):
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            if any(
                ast.unparse(t).endswith("type_annotation_map") for t in targets
            ) and ("timezone=True" in ast.unparse(node)):
                return True
    return False


def _mentions_datetime(annotation: ast.expr) -> bool:
    return any(
        isinstance(node, ast.Name | ast.Attribute)
        and (node.id if isinstance(node, ast.Name) else node.attr) == "datetime"
        for node in ast.walk(annotation)
    )


@rule("timezone-aware-timestamps")
def rule_timezone_aware_timestamps(index: ProjectIndex) -> Outcome:
    """Timestamps carry a time zone, in Python and in the database."""
    applicable = False
    findings: list[Finding] = []
    mapped_by_base = _zone_mapped_by_base(index)
    for file in index.app:
        if not file.imports("datetime"):
            continue
        applicable = True
        for node in ast.walk(file.tree):
            if isinstance(node, ast.Attribute | ast.Name):
                name = file.qualify(node)
                if name in _NAIVE_TIME:
                    findings.append(
                        finding(
                            "timezone-aware-timestamps", file, node, _NAIVE_TIME[name]
                        )
                    )
            if isinstance(node, ast.Call):
                name = file.qualify(node.func)
                if (
                    name == "datetime.datetime.now"
                    and not node.args
                    and not node.keywords
                ):
                    findings.append(
                        finding(
                            "timezone-aware-timestamps",
                            file,
                            node,
                            "datetime.now() without a zone is naive: use datetime.now(UTC)",
                        )
                    )
                if (name or "").rsplit(".", 1)[-1] in {
                    "DateTime",
                    "TIMESTAMP",
                } and not is_true(keyword(node, "timezone")):
                    findings.append(
                        finding(
                            "timezone-aware-timestamps",
                            file,
                            node,
                            f"{ast.unparse(node)} stores naive times: use DateTime(timezone=True)",
                        )
                    )
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and "Mapped" in ast.unparse(node.annotation)
                and _mentions_datetime(node.annotation)
                and not mapped_by_base
            ):
                value = node.value
                if not (
                    isinstance(value, ast.Call)
                    and (file.qualify(value.func) or "").endswith("mapped_column")
                    and _column_zone(file, value) != "none"
                ):
                    findings.append(
                        finding(
                            "timezone-aware-timestamps",
                            file,
                            node,
                            f"{node.target.id}: Mapped[datetime] without "
                            "mapped_column(DateTime(timezone=True)) is stored naive",
                        )
                    )
    unique = {(f.path, f.line, f.message): f for f in findings}
    return Outcome(applicable=applicable, findings=list(unique.values()))
