"""No deprecated Starlette, Pydantic v1 or SQLAlchemy APIs."""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    SourceFile,
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


#: SQLAlchemy methods called on a result, row, query or table that the evaluation
#: environment's SQLAlchemy (2.1) deprecates, with what to write instead. Each one is shown
#: to warn in that environment by ``tests/conformance/test_sqlalchemy_deprecations.py``.
SQLALCHEMY_DEPRECATED_METHODS = {
    "tuples": "a Row acts as a tuple: iterate or unpack the result itself",
    "_tuple": "a Row acts as a tuple: use the row itself",
    "as_scalar": "use .scalar_subquery()",
    "tometadata": "use .to_metadata()",
    "close_all": "use sqlalchemy.ext.asyncio.close_all_sessions() (or orm.close_all_sessions)",
}
#: Attributes (read, not called) that the environment's SQLAlchemy deprecates.
SQLALCHEMY_DEPRECATED_ATTRIBUTES = {
    "_t": "a Row acts as a tuple: use the row itself",
}
#: ``result.t.all()``: ``Result.t`` and ``Row.t`` are deprecated; ``.t`` alone is too
#: common a name to flag unless a result method follows it.
_RESULT_METHODS = frozenset(
    {
        "all",
        "one",
        "first",
        "one_or_none",
        "fetchall",
        "fetchone",
        "fetchmany",
        "unique",
    }
)
#: Functions the environment's SQLAlchemy deprecates, by qualified name.
SQLALCHEMY_DEPRECATED_FUNCTIONS = {
    "sqlalchemy.orm.noload": 'noload() returns wrong results: use lazy="raise" or '
    "selectinload()",
    "sqlalchemy.orm.declarative_mixin": "@declarative_mixin does nothing: remove it",
}


def _deprecated_call(file: SourceFile, node: ast.Call) -> str | None:
    """Why this call uses a deprecated SQLAlchemy API, or None."""
    qualified = file.qualify(node.func) or ""
    if qualified in SQLALCHEMY_DEPRECATED_FUNCTIONS:
        return f"{qualified.rsplit('.', 1)[-1]}: {SQLALCHEMY_DEPRECATED_FUNCTIONS[qualified]}"
    if not isinstance(node.func, ast.Attribute):
        return None
    name = node.func.attr
    if name in SQLALCHEMY_DEPRECATED_METHODS:
        why = SQLALCHEMY_DEPRECATED_METHODS[name]
        return f".{name}() is deprecated (SQLAlchemy 2.1 warns): {why}"
    receiver = node.func.value
    if (
        name in _RESULT_METHODS
        and isinstance(receiver, ast.Attribute)
        and receiver.attr == "t"
    ):
        return (
            "Result.t is deprecated (SQLAlchemy 2.1 warns): a Row acts as a tuple, call "
            f".{name}() on the result itself"
        )
    return None


def _sqlalchemy_deprecations(file: SourceFile) -> list[tuple[ast.AST, str]]:
    found: list[tuple[ast.AST, str]] = []
    for node in ast.walk(file.tree):
        why: str | None = None
        if isinstance(node, ast.Call):
            why = _deprecated_call(file, node)
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in SQLALCHEMY_DEPRECATED_ATTRIBUTES
        ):
            why = (
                f".{node.attr} is deprecated (SQLAlchemy 2.1 warns): "
                f"{SQLALCHEMY_DEPRECATED_ATTRIBUTES[node.attr]}"
            )
        elif (
            isinstance(node, ast.keyword)
            and node.arg == "lazy"
            and isinstance(node.value, ast.Constant)
            and node.value.value == "noload"
        ):
            node = node.value
            why = 'lazy="noload" is deprecated (SQLAlchemy 2.1 warns): use lazy="raise"'
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                qualified = file.qualify(decorator) or ""
                if qualified in SQLALCHEMY_DEPRECATED_FUNCTIONS:
                    found.append(
                        (decorator, SQLALCHEMY_DEPRECATED_FUNCTIONS[qualified])
                    )
        if why is not None:
            found.append((node, why))
    return found


@rule("no-deprecated-sqlalchemy")
def rule_no_deprecated_sqlalchemy(index: ProjectIndex) -> Outcome:
    """No SQLAlchemy API that the environment's SQLAlchemy deprecates (``Result.tuples()``...)."""
    users = [f for f in index.files if not f.is_migration and f.imports("sqlalchemy")]
    findings: list[Finding] = []
    for file in users:
        for node, message in _sqlalchemy_deprecations(file):
            findings.append(finding("no-deprecated-sqlalchemy", file, node, message))
    return Outcome(applicable=bool(users), findings=findings)
