"""CORS, passwords and signing keys."""

from __future__ import annotations

import ast
import re
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


#: HS256 keys shorter than this warn in PyJWT (RFC 7518 section 3.2).
HS256_MIN_KEY_BYTES = 32
#: Names that hold a JWT signing key (a literal assigned or passed under one is checked).
_KEY_NAME = re.compile(
    r"(^|_)(jwt|token|signing|hmac)_?(secret|key)($|_)|(^|_)secret_key$|^secret$", re.I
)
_JWT_LIBRARIES = ("jwt", "jose", "authlib", "joserfc")


def _short_key(node: ast.expr | None) -> str | None:
    """The literal if ``node`` is a string (or ``SecretStr("...")``) under 32 bytes."""
    if (
        isinstance(node, ast.Call)
        and (ast.unparse(node.func).rsplit(".", 1)[-1] == "SecretStr")
        and node.args
    ):
        node = node.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
        raw = node.value.encode() if isinstance(node.value, str) else node.value
        if len(raw) < HS256_MIN_KEY_BYTES:
            return node.value if isinstance(node.value, str) else raw.decode("latin-1")
    return None


def _named_keys(tree: ast.AST) -> Iterator[tuple[ast.AST, str, ast.expr | None]]:
    """``(node, name, value)`` for values given to a key-like name.

    Assignments (``JWT_SECRET = "..."``), class fields (``jwt_secret: str = "..."``,
    ``Field(default="...")``) and keyword arguments (``Settings(jwt_secret="...")``).
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    yield node, target.id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            value = node.value
            if isinstance(value, ast.Call) and ast.unparse(value.func).endswith(
                "Field"
            ):
                value = keyword(value, "default") or (
                    value.args[0] if value.args else None
                )
            yield node, node.target.id, value
        elif isinstance(node, ast.keyword) and node.arg:
            yield node, node.arg, node.value


@rule("hs256-key-length")
def rule_hs256_key_length(index: ProjectIndex) -> Outcome:
    """No HS256 signing key literal under 32 bytes (PyJWT warns on every encode and decode)."""
    users = [f for f in index.files if f.imports(*_JWT_LIBRARIES)]
    findings: list[Finding] = []
    for file in index.files if users else []:
        for call in calls(file.tree):
            name = file.qualify(call.func) or ""
            if name.split(".")[0] not in _JWT_LIBRARIES or name.rsplit(".", 1)[
                -1
            ] not in {
                "encode",
                "decode",
            }:
                continue
            key = call.args[1] if len(call.args) > 1 else keyword(call, "key")
            if (literal := _short_key(key)) is not None:
                findings.append(_key_finding(file, call, literal))
        for node, name, value in _named_keys(file.tree):
            if _KEY_NAME.search(name) and (literal := _short_key(value)) is not None:
                findings.append(_key_finding(file, node, literal))
    return Outcome(applicable=bool(users), findings=findings)


def _key_finding(file: SourceFile, node: ast.AST, literal: str) -> Finding:
    return finding(
        "hs256-key-length",
        file,
        node,
        f"the HS256 key {literal!r} has {len(literal.encode())} bytes: PyJWT warns "
        f"(InsecureKeyLengthWarning) below {HS256_MIN_KEY_BYTES}; use a key of 32 bytes "
        "or more, and Field(min_length=32) on the setting",
    )


_STRIP_KEYS = frozenset({"str_strip_whitespace", "anystr_strip_whitespace"})


def _strips_all(node: ast.ClassDef) -> ast.AST | None:
    """The config entry that makes a model strip every string, if it has one."""
    for stmt in node.body:
        value = getattr(stmt, "value", None)
        target = (
            stmt.targets[0]
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            else getattr(stmt, "target", None)
        )
        if isinstance(target, ast.Name) and target.id == "model_config":
            if isinstance(value, ast.Call):
                for kw in value.keywords:
                    if kw.arg in _STRIP_KEYS and is_true(kw.value):
                        return kw
            elif isinstance(value, ast.Dict):
                for key, item in zip(value.keys, value.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value in _STRIP_KEYS
                        and is_true(item)
                    ):
                        return key
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for name, inner in class_attributes(stmt):
                if name in _STRIP_KEYS and is_true(getattr(inner, "value", None)):
                    return inner
    return None


def _password_fields(node: ast.ClassDef) -> list[tuple[str, ast.stmt]]:
    return [
        (name, stmt)
        for name, stmt in class_attributes(node)
        if isinstance(stmt, ast.AnnAssign)
        and "password" in name.lower()
        and "hash" not in name.lower()
    ]


def _strips_field(stmt: ast.stmt) -> bool:
    """Whether a field's own type strips it (``StringConstraints``/``constr``)."""
    return any(
        isinstance(node, ast.keyword)
        and node.arg == "strip_whitespace"
        and is_true(node.value)
        for node in ast.walk(stmt)
    )


@rule("password-not-stripped")
def rule_password_not_stripped(index: ProjectIndex) -> Outcome:
    """No model strips a password field (the login form passes the password as typed)."""
    classes = [
        (file, node)
        for file in index.app
        for node in ast.walk(file.tree)
        if isinstance(node, ast.ClassDef)
    ]
    stripping = {node.name for _, node in classes if _strips_all(node) is not None}
    changed = True
    while changed:  # a model inherits its bases' configuration
        changed = False
        for _, node in classes:
            bases = {ast.unparse(base).rsplit(".", 1)[-1] for base in node.bases}
            if node.name not in stripping and bases & stripping:
                stripping.add(node.name)
                changed = True
    findings: list[Finding] = []
    applicable = False
    for file, node in classes:
        for name, stmt in _password_fields(node):
            applicable = True
            if node.name in stripping or _strips_field(stmt):
                findings.append(
                    finding(
                        "password-not-stripped",
                        file,
                        stmt,
                        f"{node.name}.{name} is stripped of spaces, but the login form "
                        "passes the password as typed: a password with a leading or "
                        "trailing space never matches; strip only the fields that need it",
                    )
                )
    return Outcome(applicable=applicable, findings=findings)
