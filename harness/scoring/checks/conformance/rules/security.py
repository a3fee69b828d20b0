"""CORS and passwords."""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
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


def _wildcard(node: ast.expr | None) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(isinstance(e, ast.Constant) and e.value == "*" for e in node.elts)
    return isinstance(node, ast.Constant) and node.value in {"*", ".*", "^.*$", ".+"}


@rule("cors-credentials")
def rule_cors_credentials(index: ProjectIndex) -> Outcome:
    """No wildcard CORS origin together with credentials."""
    applicable = False
    findings: list[Finding] = []
    for file in index.app:
        for call in calls(file.tree):
            names = [
                file.qualify(call.func) or "",
                *(file.qualify(a) or "" for a in call.args),
            ]
            if not any(name.endswith("CORSMiddleware") for name in names):
                continue
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
