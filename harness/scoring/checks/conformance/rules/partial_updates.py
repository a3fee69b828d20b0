"""Partial updates (PATCH) never write an explicit ``null`` into a NOT NULL column.

``data.model_dump(exclude_unset=True)`` keeps the fields the client sent, ``null``
included; when the schema types a field ``str | None`` only so that it may be omitted, a
``{"title": null}`` reaches a NOT NULL column and fails at commit (often reported as a
misleading 409 by a handler that maps every ``IntegrityError`` to one domain error). The
schema must reject ``None`` for such fields: a ``field_validator`` naming the field (or
``"*"``), or a ``model_validator``.
"""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    SourceFile,
    calls,
    class_attributes,
    finding,
    is_true,
    keyword,
    orm_classes,
)
from harness.scoring.checks.conformance.registry import Outcome, rule
from harness.scoring.results import Finding

_FIELD_VALIDATORS = frozenset({"field_validator", "validator"})
_MODEL_VALIDATORS = frozenset({"model_validator", "root_validator"})


def _allows_none(annotation: ast.expr) -> bool:
    return any(
        (isinstance(node, ast.Constant) and node.value is None)
        or (isinstance(node, ast.Name) and node.id == "Optional")
        or (isinstance(node, ast.Attribute) and node.attr == "Optional")
        for node in ast.walk(annotation)
    )


def _last_name(node: ast.expr | None) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _not_null_column(model: ast.ClassDef, name: str) -> bool:
    """Whether the model declares column ``name`` NOT NULL."""
    for attribute, stmt in class_attributes(model):
        if attribute != name:
            continue
        value = getattr(stmt, "value", None)
        column = value if isinstance(value, ast.Call) else None
        flag = keyword(column, "nullable") if column else None
        if column is not None and is_true(keyword(column, "primary_key")):
            return True
        if isinstance(flag, ast.Constant) and isinstance(flag.value, bool):
            return not flag.value
        if isinstance(stmt, ast.AnnAssign):
            annotation = stmt.annotation
            if (
                isinstance(annotation, ast.Subscript)
                and _last_name(annotation.value) == "Mapped"
            ):
                annotation = annotation.slice
            return not _allows_none(annotation)
        return False  # Column(...) without nullable=False is nullable
    return False


def _string_constants(tree: ast.Module) -> dict[str, set[str]]:
    """Module-level names bound to a tuple or list of strings (``FIELDS = ("a", "b")``)."""
    found: dict[str, set[str]] = {}
    for stmt in tree.body:
        target = (
            stmt.targets[0]
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            else stmt.target
            if isinstance(stmt, ast.AnnAssign)
            else None
        )
        value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
        if isinstance(target, ast.Name) and isinstance(value, ast.Tuple | ast.List):
            items = value.elts
            if all(
                isinstance(e, ast.Constant) and isinstance(e.value, str) for e in items
            ):
                found[target.id] = {
                    str(e.value) for e in items if isinstance(e, ast.Constant)
                }
    return found


def _validated_fields(decorator: ast.Call, constants: dict[str, set[str]]) -> set[str]:
    """The field names a ``field_validator(...)`` call names (``*`` when it cannot tell)."""
    fields: set[str] = set()
    for arg in decorator.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            fields.add(arg.value)
        elif isinstance(arg, ast.Starred):
            named = (
                constants.get(arg.value.id) if isinstance(arg.value, ast.Name) else None
            )
            fields |= named if named is not None else {"*"}  # unknown: give the benefit
    return fields


def _rejects_none(
    schema: ast.ClassDef, name: str, constants: dict[str, set[str]] | None = None
) -> bool:
    """Whether the schema has a validator that can reject ``None`` for field ``name``."""
    for stmt in schema.body:
        if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for decorator in stmt.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            kind = _last_name(target)
            if kind in _MODEL_VALIDATORS:
                return True
            if kind in _FIELD_VALIDATORS and isinstance(decorator, ast.Call):
                fields = _validated_fields(decorator, constants or {})
                if name in fields or "*" in fields:
                    return True
    return False


def _checks_none(name: str, nodes: list[ast.stmt] | list[ast.expr]) -> bool:
    """Whether ``nodes`` compare ``name`` with ``None`` (``if value is not None:``)."""
    return any(
        isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Name)
        and node.left.id == name
        and any(isinstance(op, ast.Is | ast.IsNot) for op in node.ops)
        and any(
            isinstance(c, ast.Constant) and c.value is None for c in node.comparators
        )
        for root in nodes
        for node in ast.walk(root)
    )


def _skips_nulls(function: ast.AST, call: ast.Call) -> bool:
    """Whether the loop or comprehension over ``call``'s items leaves ``None`` out."""
    for node in ast.walk(function):
        if isinstance(node, ast.For | ast.AsyncFor | ast.comprehension) and any(
            inner is call for inner in ast.walk(node.iter)
        ):
            target = node.target
            if isinstance(target, ast.Tuple) and len(target.elts) == 2:
                value = target.elts[1]
                body = node.ifs if isinstance(node, ast.comprehension) else node.body
                if isinstance(value, ast.Name) and _checks_none(value.id, body):
                    return True
    return False


def _partial_dumps(file: SourceFile) -> list[tuple[ast.Call, str, bool]]:
    """Partial dumps: ``(call, class of the dumped parameter, whether nulls are kept)``.

    Nulls are kept unless the call has ``exclude_none=True`` or the loop or comprehension
    over its items checks the value against ``None``.
    """
    found: list[tuple[ast.Call, str, bool]] = []
    for function in ast.walk(file.tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        arguments = [*function.args.posonlyargs, *function.args.args]
        params = {
            a.arg: _last_name(a.annotation)
            for a in [*arguments, *function.args.kwonlyargs]
        }
        for call in calls(function):
            if not (
                isinstance(call.func, ast.Attribute)
                and call.func.attr == "model_dump"
                and is_true(keyword(call, "exclude_unset"))
                and isinstance(call.func.value, ast.Name)
                and params.get(call.func.value.id)
            ):
                continue
            keeps_nulls = not is_true(keyword(call, "exclude_none")) and not (
                _skips_nulls(function, call)
            )
            found.append((call, params[call.func.value.id], keeps_nulls))
    return found


@rule("patch-explicit-null")
def rule_patch_explicit_null(index: ProjectIndex) -> Outcome:
    """Partial updates reject ``null`` for fields whose column is NOT NULL."""
    models = [model for file in index.app for model in orm_classes(file)]
    schemas = {
        node.name: (file, node)
        for file in index.app
        for node in ast.walk(file.tree)
        if isinstance(node, ast.ClassDef)
    }
    applicable = False
    findings: list[Finding] = []
    reported: set[tuple[str, str]] = set()
    for file in index.app:
        for call, schema_name, keeps_nulls in _partial_dumps(file):
            if not models or schema_name not in schemas:
                continue
            applicable = True
            if not keeps_nulls:
                continue
            schema_file, schema = schemas[schema_name]
            # PostUpdate updates Post; without such a match, any model may be the target.
            targets = [m for m in models if schema_name.startswith(m.name)] or models
            for name, stmt in class_attributes(schema):
                if (
                    not isinstance(stmt, ast.AnnAssign)
                    or not _allows_none(stmt.annotation)
                    or (schema_name, name) in reported
                    or _rejects_none(schema, name, _string_constants(schema_file.tree))
                ):
                    continue
                model = next((m for m in targets if _not_null_column(m, name)), None)
                if model is None:
                    continue
                reported.add((schema_name, name))
                findings.append(
                    finding(
                        "patch-explicit-null",
                        schema_file,
                        stmt,
                        f"{schema_name}.{name} accepts null, and model_dump("
                        f"exclude_unset=True) ({file.rel}:{call.lineno}) writes it to "
                        f"the NOT NULL column {model.name}.{name}: reject None in a "
                        "field_validator (omitting the field still keeps it)",
                    )
                )
    return Outcome(applicable=applicable, findings=findings)
