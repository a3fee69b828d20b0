"""No deprecated Starlette or Pydantic v1 APIs."""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    finding,
)
from harness.scoring.checks.conformance.registry import Outcome, rule
from harness.scoring.models import Finding

_PYDANTIC_V1_CALLS = frozenset(
    {"parse_obj", "parse_raw", "from_orm", "update_forward_refs"}
)
_DEPRECATED_STATUS = frozenset(
    {
        "HTTP_422_UNPROCESSABLE_ENTITY",
        "HTTP_413_REQUEST_ENTITY_TOO_LARGE",
        "HTTP_414_REQUEST_URI_TOO_LONG",
        "HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE",
    }
)


@rule("no-deprecated-status-names")
def rule_no_deprecated_status_names(index: ProjectIndex) -> Outcome:
    """No status-code names Starlette deprecated (``HTTP_422_UNPROCESSABLE_ENTITY``...)."""
    applicable = False
    findings: list[Finding] = []
    for file in index.files:
        if file.is_migration:
            continue
        for node in ast.walk(file.tree):
            name = (
                node.attr
                if isinstance(node, ast.Attribute)
                else node.id
                if isinstance(node, ast.Name)
                else node.name
                if isinstance(node, ast.alias)
                else None
            )
            if name is None or not name.startswith("HTTP_"):
                continue
            applicable = True
            if name in _DEPRECATED_STATUS:
                findings.append(
                    finding(
                        "no-deprecated-status-names",
                        file,
                        node,
                        f"{name} is deprecated (StarletteDeprecationWarning): use the RFC 9110 "
                        "name, e.g. HTTP_422_UNPROCESSABLE_CONTENT",
                    )
                )
    return Outcome(applicable=applicable, findings=findings)


@rule("pydantic-v2-idioms")
def rule_pydantic_v2_idioms(index: ProjectIndex) -> Outcome:
    """Pydantic v2 APIs only."""
    applicable = any(f.imports("pydantic", "pydantic_settings") for f in index.app)
    findings: list[Finding] = []
    for file in index.app:
        for node in ast.walk(file.tree):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.ClassDef)
                        and stmt.name == "Config"
                        and node.bases
                    ):
                        findings.append(
                            finding(
                                "pydantic-v2-idioms",
                                file,
                                stmt,
                                f"{node.name}.Config is Pydantic v1: use model_config = "
                                "ConfigDict(...)",
                            )
                        )
                bases = {(file.qualify(b) or "") for b in node.bases}
                if "str" in bases and any(b.endswith("Enum") for b in bases):
                    findings.append(
                        finding(
                            "pydantic-v2-idioms",
                            file,
                            node,
                            f"{node.name}(str, Enum): use enum.StrEnum",
                        )
                    )
            elif isinstance(node, ast.keyword | ast.Constant) and (
                (isinstance(node, ast.keyword) and node.arg == "json_encoders")
                or (isinstance(node, ast.Constant) and node.value == "json_encoders")
            ):
                findings.append(
                    finding(
                        "pydantic-v2-idioms",
                        file,
                        node,
                        "json_encoders is deprecated: use PlainSerializer or "
                        "@field_serializer",
                    )
                )
            elif isinstance(node, ast.Call):
                name = file.qualify(node.func) or ""
                last = name.rsplit(".", 1)[-1]
                if name in {"pydantic.validator", "pydantic.root_validator"}:
                    findings.append(
                        finding(
                            "pydantic-v2-idioms",
                            file,
                            node,
                            f"@{last} is Pydantic v1: use @field_validator / @model_validator",
                        )
                    )
                elif (
                    isinstance(node.func, ast.Attribute) and last in _PYDANTIC_V1_CALLS
                ):
                    findings.append(
                        finding(
                            "pydantic-v2-idioms",
                            file,
                            node,
                            f".{last}() is Pydantic v1: use model_validate / "
                            "model_validate_json / model_rebuild",
                        )
                    )
    return Outcome(applicable=applicable or bool(findings), findings=findings)
