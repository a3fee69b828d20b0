"""CORS and passwords."""

from __future__ import annotations

import ast
from collections.abc import Iterator

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
from harness.scoring.models import Finding

_PASSWORD_COLUMNS = frozenset(
    {"password", "passwd", "pwd", "plain_password", "password_plain"}
)
_HASHERS = ("pwdlib", "passlib", "argon2", "bcrypt")


def _cors_calls(index: ProjectIndex) -> Iterator[tuple[SourceFile, ast.Call]]:
    """Calls that add or build a ``CORSMiddleware``, with their file."""
    for file in index.app:
        for call in calls(file.tree):
            names = [
                file.qualify(call.func) or "",
                *(file.qualify(a) or "" for a in call.args),
            ]
            if any(name.endswith("CORSMiddleware") for name in names):
                yield file, call


def _wildcard(node: ast.expr | None) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(isinstance(e, ast.Constant) and e.value == "*" for e in node.elts)
    return isinstance(node, ast.Constant) and node.value in {"*", ".*", "^.*$", ".+"}


@rule("cors-credentials")
def rule_cors_credentials(index: ProjectIndex) -> Outcome:
    """No wildcard CORS origin together with credentials."""
    applicable = False
    findings: list[Finding] = []
    for file, call in _cors_calls(index):
        applicable = True
        origins = keyword(call, "allow_origins")
        regex = keyword(call, "allow_origin_regex")
        if (_wildcard(origins) or _wildcard(regex)) and is_true(
            keyword(call, "allow_credentials")
        ):
            findings.append(
                finding(
                    "cors-credentials",
                    file,
                    call,
                    "wildcard CORS origin with allow_credentials=True lets any website "
                    "call the API as the signed-in user: list the origins from settings",
                )
            )
    return Outcome(applicable=applicable, findings=findings)


def _settings_defaults(index: ProjectIndex) -> dict[str, ast.expr | None]:
    """Field name -> default value (None without one) of the app's ``BaseSettings``."""
    defaults: dict[str, ast.expr | None] = {}
    for file in index.app:
        for node in ast.walk(file.tree):
            if not isinstance(node, ast.ClassDef) or not any(
                (file.qualify(base) or "").endswith("BaseSettings")
                for base in node.bases
            ):
                continue
            for name, stmt in class_attributes(node):
                value = getattr(stmt, "value", None)
                if isinstance(value, ast.Call) and (
                    file.qualify(value.func) or ""
                ).endswith("Field"):
                    value = keyword(value, "default") or keyword(
                        value, "default_factory"
                    )
                defaults[name] = value if isinstance(value, ast.expr) else None
    return defaults


def _reads_setting(node: ast.expr | None, fields: dict[str, ast.expr | None]) -> bool:
    """Whether ``node`` reads a settings field (``settings.cors_origins``, any object)."""
    return isinstance(node, ast.Attribute) and node.attr in fields


def _default(
    node: ast.expr | None, fields: dict[str, ast.expr | None]
) -> ast.expr | None:
    """The default of the settings field ``node`` reads, or None."""
    return fields.get(node.attr) if isinstance(node, ast.Attribute) else None


def _has_star(node: ast.expr | None) -> bool:
    return node is not None and any(
        isinstance(n, ast.Constant) and n.value in {"*", ".*", "^.*$", ".+"}
        for n in ast.walk(node)
    )


@rule("cors-settings-wildcard")
def rule_cors_settings_wildcard(index: ProjectIndex) -> Outcome:
    """No ``*`` origin with credentials where either comes from a settings default."""
    fields = _settings_defaults(index)
    applicable = False
    findings: list[Finding] = []
    for file, call in _cors_calls(index):
        origins = [keyword(call, "allow_origins"), keyword(call, "allow_origin_regex")]
        credentials = keyword(call, "allow_credentials")
        if not any(_reads_setting(node, fields) for node in [*origins, credentials]):
            continue
        applicable = True
        star = any(_wildcard(o) or _has_star(_default(o, fields)) for o in origins)
        if star and (is_true(credentials) or is_true(_default(credentials, fields))):
            findings.append(
                finding(
                    "cors-settings-wildcard",
                    file,
                    call,
                    "CORS origins default to '*' with credentials allowed (through "
                    "settings): any website can call the API as the signed-in user; "
                    "default the origins to [] and list them per environment",
                )
            )
    return Outcome(applicable=applicable, findings=findings)


@rule("hashed-passwords")
def rule_hashed_passwords(index: ProjectIndex) -> Outcome:
    """Passwords are stored hashed: no plain ``password`` column, and a hashing library."""
    findings: list[Finding] = []
    handles_passwords = False
    orm = False
    for file in index.app:
        for model in orm_classes(file):
            orm = True
            for name, stmt in class_attributes(model):
                if name.lower() in _PASSWORD_COLUMNS:
                    findings.append(
                        finding(
                            "hashed-passwords",
                            file,
                            stmt,
                            f"{model.name}.{name} stores the password itself: store "
                            "hashed_password (pwdlib Argon2) and never the plain text",
                        )
                    )
        for node in ast.walk(file.tree):
            if isinstance(node, ast.arg | ast.AnnAssign):
                name = (
                    node.arg if isinstance(node, ast.arg) else ast.unparse(node.target)
                )
                if "password" in name.lower():
                    handles_passwords = True
    hashing = any(
        f.imports(*_HASHERS)
        or any(
            (f.qualify(c.func) or "") in {"hashlib.scrypt", "hashlib.pbkdf2_hmac"}
            for c in calls(f.tree)
        )
        for f in index.app
    )
    if handles_passwords and not hashing:
        findings.append(
            Finding(
                code="hashed-passwords",
                message="the code handles passwords but imports no hashing library "
                "(pwdlib, passlib, argon2, bcrypt): hash them with pwdlib Argon2",
            )
        )
    return Outcome(applicable=orm or handles_passwords, findings=findings)
