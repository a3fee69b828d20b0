"""The ``conformance`` check: does the project follow the skill's machine-checkable rules?

It measures adherence to ``skill/python-fastapi-developer`` (not general quality), so reports
show it apart from the skill-neutral checks and its default weight is 0. Each rule is a named
AST analysis of the project's files, read on the host with ``read_bytes_safely``; no project
code runs. A rule applies only when the project contains what it is about (no ORM, no ORM
rules); ``score`` is the fraction of applicable rules with no finding. The rules and the seed
audit's guideline-to-check table (``shared/reference/seed-audit.md`` section 2) they implement:

- ``src-layout``: application code lives under ``src/`` next to ``pyproject.toml``.
- ``domain-layout``: routes live in ``<domain>/router.py`` beside ``schemas.py`` and
  ``service.py`` (a health or root route may live anywhere).
- ``annotated-dependencies``: no ``param = Depends(...)``/``Security(...)`` defaults.
- ``no-blocking-in-async``: no ``time.sleep``, ``requests``, sync ``httpx``, ``urlopen``,
  ``subprocess``, ``os.system``, ``open`` or sync SQLAlchemy ``Session``/``create_engine``
  directly inside ``async def``.
- ``timezone-aware-timestamps``: no ``utcnow``/``utcfromtimestamp``/``today``/``now()``
  without a zone, and datetime columns declared ``DateTime(timezone=True)``.
- ``paginated-lists``: GET routes that return a list take ``limit``/``offset``/``cursor``
  (or a pagination model or dependency).
- ``cors-credentials``: no wildcard CORS origin together with ``allow_credentials=True``.
- ``hashed-passwords``: no ``password`` ORM column, and a hashing library wherever passwords
  are handled.
- ``lifespan``: no ``on_event``/``add_event_handler``; startup and shutdown go in ``lifespan``.
- ``typed-orm-models``: ``Mapped[...]`` + ``mapped_column()``; no ``Column()``, no
  ``declarative_base()``.
- ``db-naming-convention``: ``MetaData(naming_convention=...)`` when there are ORM models.
- ``session-expire-on-commit``: ``async_sessionmaker(..., expire_on_commit=False)``.
- ``settings-not-at-import``: no module-level ``settings = Settings()``.
- ``no-deprecated-status-names``: no ``HTTP_422_UNPROCESSABLE_ENTITY`` and friends.
- ``pydantic-v2-idioms``: no ``class Config``, ``json_encoders``, ``(str, Enum)``,
  ``@validator``/``@root_validator``, ``parse_obj``/``from_orm``/``parse_raw``.
- ``alembic-downgrade``: every migration has a ``downgrade()`` that does something.

Tests (``tests/``, ``test_*.py``, ``conftest.py``) and migrations are exempt from the rules
about application code. Figures: ``applicable`` and ``passed`` (rule counts), and
``rule:<name>`` = ``pass``, ``fail (<findings>)`` or ``n/a``; each finding's code is its rule.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from harness.scoring.context import ScoringContext, Stopwatch, result
from harness.scoring.models import CheckResult, Finding
from harness.scoring.project import read_bytes_safely

NAME = "conformance"

_HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_OPEN_ROUTES = frozenset(
    {"/", "", "/health", "/healthz", "/ready", "/readyz", "/livez"}
)
_PAGE_PARAMS = frozenset(
    {
        "limit",
        "offset",
        "skip",
        "page",
        "page_size",
        "per_page",
        "size",
        "cursor",
        "after",
    }
)
_PAGE_HINTS = ("page", "pagina", "paging", "cursor")
_LIST_TYPES = frozenset({"list", "List", "Sequence", "Iterable", "tuple", "set"})
_BLOCKING_EXACT = {
    "time.sleep": "time.sleep() stops the event loop: use `await anyio.sleep()`",
    "urllib.request.urlopen": "urlopen() blocks: use httpx.AsyncClient",
    "os.system": "os.system() blocks: use anyio.run_process or a `def` route",
    "open": "open() is blocking file I/O: use anyio.Path or anyio.to_thread.run_sync",
    "sqlalchemy.orm.Session": "a sync SQLAlchemy Session blocks: use AsyncSession",
    "sqlalchemy.create_engine": "a sync engine blocks: use create_async_engine",
    "httpx.Client": "httpx.Client is synchronous: use httpx.AsyncClient",
}
_BLOCKING_PREFIX = {
    "requests.": "requests is synchronous: use httpx.AsyncClient",
    "subprocess.": "subprocess blocks: use anyio.run_process or a `def` route",
}
_HTTPX_SYNC = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"}
)
_NAIVE_TIME = {
    "datetime.datetime.utcnow": "datetime.utcnow() is naive and deprecated: "
    "use datetime.now(UTC)",
    "datetime.datetime.utcfromtimestamp": "utcfromtimestamp() is naive and deprecated: "
    "use datetime.fromtimestamp(ts, UTC)",
    "datetime.datetime.today": "datetime.today() is naive: use datetime.now(UTC)",
}
_DEPRECATED_STATUS = frozenset(
    {
        "HTTP_422_UNPROCESSABLE_ENTITY",
        "HTTP_413_REQUEST_ENTITY_TOO_LARGE",
        "HTTP_414_REQUEST_URI_TOO_LONG",
        "HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE",
    }
)
_PASSWORD_COLUMNS = frozenset(
    {"password", "passwd", "pwd", "plain_password", "password_plain"}
)
_HASHERS = ("pwdlib", "passlib", "argon2", "bcrypt")
_PYDANTIC_V1_CALLS = frozenset(
    {"parse_obj", "parse_raw", "from_orm", "update_forward_refs"}
)


@dataclass
class SourceFile:
    """One parsed Python file and what its imports make of its names.

    Attributes:
        rel: Path relative to the project.
        tree: Its syntax tree.
        aliases: Local name to qualified name (``sleep`` -> ``time.sleep``).
        is_test: Whether it is test code.
        is_migration: Whether it belongs to the migrations (``alembic/``, ``migrations/``).
    """

    rel: str
    tree: ast.Module
    aliases: dict[str, str] = field(default_factory=dict)
    is_test: bool = False
    is_migration: bool = False

    def qualify(self, node: ast.expr) -> str | None:
        """The dotted name an expression refers to, through this file's imports."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(self.aliases.get(node.id, node.id))
        return ".".join(reversed(parts))

    def imports(self, *roots: str) -> bool:
        """Whether the file imports any of these top-level packages."""
        return any(q.split(".")[0] in roots for q in self.aliases.values())


@dataclass
class Outcome:
    """A rule's verdict on the project.

    Attributes:
        applicable: Whether the project contains what the rule is about.
        findings: What breaks the rule.
    """

    applicable: bool
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ProjectIndex:
    """The project's parsed files, split into application code, tests and migrations."""

    files: list[SourceFile]
    all_files: list[str]

    @property
    def app(self) -> list[SourceFile]:
        """Application code: neither tests nor migrations."""
        return [f for f in self.files if not f.is_test and not f.is_migration]


def _aliases(tree: ast.Module) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    found[alias.asname] = alias.name
                else:
                    root = alias.name.split(".")[0]
                    found[root] = root
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _is_test(rel: str) -> bool:
    path = PurePosixPath(rel)
    return (
        "tests" in path.parts[:-1]
        or path.name.startswith("test_")
        or path.name.endswith("_test.py")
        or path.name == "conftest.py"
    )


def build_index(
    root_files: list[str], read: Callable[[str], bytes | None]
) -> ProjectIndex:
    """Parse the project's Python files (unparsable ones are left to the other checks).

    Args:
        root_files: Every file of the project, relative.
        read: Reads a file's bytes safely.

    Returns:
        The index.
    """
    files: list[SourceFile] = []
    for rel in root_files:
        if not rel.endswith(".py"):
            continue
        data = read(rel)
        if data is None:
            continue
        try:
            tree = ast.parse(data, filename=rel)
        except (SyntaxError, ValueError):
            continue
        parts = PurePosixPath(rel).parts
        tooling = any(p in {"alembic", "migrations"} for p in parts[:-1])
        files.append(
            SourceFile(
                rel=rel,
                tree=tree,
                aliases=_aliases(tree),
                is_test=_is_test(rel),
                is_migration=tooling,
            )
        )
    return ProjectIndex(files=files, all_files=root_files)


def _finding(
    rule: str, file: SourceFile, node: ast.AST | None, message: str
) -> Finding:
    return Finding(
        code=rule,
        message=message,
        path=file.rel,
        line=getattr(node, "lineno", None),
    )


def _calls(node: ast.AST) -> Iterator[ast.Call]:
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            yield child


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


# Routes ------------------------------------------------------------------------------------


@dataclass
class Route:
    """A path operation found by its decorator."""

    file: SourceFile
    function: ast.FunctionDef | ast.AsyncFunctionDef
    method: str
    path: str | None
    decorator: ast.Call


def _routes(index: ProjectIndex) -> list[Route]:
    routes: list[Route] = []
    for file in index.app:
        for node in ast.walk(file.tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                if not (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr in _HTTP_METHODS
                ):
                    continue
                first = (
                    decorator.args[0] if decorator.args else _keyword(decorator, "path")
                )
                path = (
                    first.value
                    if isinstance(first, ast.Constant) and isinstance(first.value, str)
                    else None
                )
                if first is not None and path is None:
                    continue
                routes.append(Route(file, node, decorator.func.attr, path, decorator))
    return routes


# The rules ---------------------------------------------------------------------------------


def rule_src_layout(index: ProjectIndex) -> Outcome:
    """Application code under ``src/``, with a ``pyproject.toml`` at the root."""
    app = index.app
    if not app:
        return Outcome(applicable=False)
    findings: list[Finding] = []
    if "pyproject.toml" not in index.all_files:
        findings.append(
            Finding(
                code="src-layout",
                message="no pyproject.toml at the project root: declare the project and its "
                "tools there",
            )
        )
    outside = [f for f in app if not f.rel.startswith("src/")]
    findings += [
        _finding(
            "src-layout",
            file,
            None,
            "application code outside src/: use the src layout (src/app/...)",
        )
        for file in outside
    ]
    return Outcome(applicable=True, findings=findings)


def rule_domain_layout(index: ProjectIndex) -> Outcome:
    """Routes live in ``<domain>/router.py`` next to ``schemas.py`` and ``service.py``."""
    routes = [r for r in _routes(index) if r.path not in _OPEN_ROUTES]
    if not routes:
        return Outcome(applicable=False)
    present = set(index.all_files)
    findings: list[Finding] = []
    for file in sorted(
        {r.file.rel: r.file for r in routes}.values(), key=lambda f: f.rel
    ):
        path = PurePosixPath(file.rel)
        folder = path.parent
        missing = [
            name
            for name in ("schemas.py", "service.py")
            if (folder / name).as_posix() not in present
        ]
        if path.name != "router.py" or folder == PurePosixPath("src") or missing:
            what = (
                f"missing {' and '.join(missing)} beside it"
                if path.name == "router.py" and missing
                else "routes outside a domain's router.py"
            )
            findings.append(
                _finding(
                    "domain-layout",
                    file,
                    None,
                    f"{what}: put each domain's routes in <domain>/router.py beside "
                    "schemas.py and service.py",
                )
            )
    return Outcome(applicable=True, findings=findings)


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
                        _finding(
                            "annotated-dependencies",
                            file,
                            default,
                            f"`= {ast.unparse(default)}` in {node.name}(): declare it as "
                            "`name: Annotated[T, Depends(...)]` (or an alias)",
                        )
                    )
    return Outcome(applicable=applicable or bool(findings), findings=findings)


def _async_calls(function: ast.AsyncFunctionDef) -> Iterator[ast.Call]:
    """Calls made directly in an ``async def`` (not in nested functions or lambdas)."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef
        ):
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _blocking(file: SourceFile, call: ast.Call) -> str | None:
    name = file.qualify(call.func)
    if name is None:
        return None
    if name == "open" and "open" in file.aliases:
        return None
    if name in _BLOCKING_EXACT:
        return _BLOCKING_EXACT[name]
    for prefix, why in _BLOCKING_PREFIX.items():
        if name.startswith(prefix):
            return why
    head, _, tail = name.rpartition(".")
    if head == "httpx" and tail in _HTTPX_SYNC:
        return f"httpx.{tail}() is synchronous: use httpx.AsyncClient"
    return None


def rule_no_blocking_in_async(index: ProjectIndex) -> Outcome:
    """No blocking call directly inside ``async def``."""
    applicable = False
    findings: list[Finding] = []
    for file in index.app:
        for node in ast.walk(file.tree):
            if not isinstance(node, ast.AsyncFunctionDef):
                continue
            applicable = True
            for call in _async_calls(node):
                if why := _blocking(file, call):
                    findings.append(
                        _finding(
                            "no-blocking-in-async",
                            file,
                            call,
                            f"in async def {node.name}(): {why} (or make it a `def`)",
                        )
                    )
    return Outcome(applicable=applicable, findings=findings)


def _column_zone(file: SourceFile, call: ast.Call) -> str:
    """``aware``, ``naive`` or ``none``: the DateTime type a column call declares."""
    for arg in [*call.args, *(k.value for k in call.keywords if k.arg == "type_")]:
        target = arg.func if isinstance(arg, ast.Call) else arg
        if (file.qualify(target) or "").rsplit(".", 1)[-1] in {"DateTime", "TIMESTAMP"}:
            aware = isinstance(arg, ast.Call) and _is_true(_keyword(arg, "timezone"))
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
                        _finding(
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
                        _finding(
                            "timezone-aware-timestamps",
                            file,
                            node,
                            "datetime.now() without a zone is naive: use datetime.now(UTC)",
                        )
                    )
                if (name or "").rsplit(".", 1)[-1] in {
                    "DateTime",
                    "TIMESTAMP",
                } and not _is_true(_keyword(node, "timezone")):
                    findings.append(
                        _finding(
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
                        _finding(
                            "timezone-aware-timestamps",
                            file,
                            node,
                            f"{node.target.id}: Mapped[datetime] without "
                            "mapped_column(DateTime(timezone=True)) is stored naive",
                        )
                    )
    unique = {(f.path, f.line, f.message): f for f in findings}
    return Outcome(applicable=applicable, findings=list(unique.values()))


def _returns_list(route: Route) -> bool:
    candidates = [route.function.returns, _keyword(route.decorator, "response_model")]
    for annotation in candidates:
        if annotation is None:
            continue
        base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
        if name in _LIST_TYPES and isinstance(annotation, ast.Subscript):
            return True
    return False


def _returns_page(route: Route) -> bool:
    returned = route.function.returns or _keyword(route.decorator, "response_model")
    return returned is not None and "page" in ast.unparse(returned).lower()


def _paginated(route: Route) -> bool:
    arguments = route.function.args
    for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
        if arg.arg in _PAGE_PARAMS:
            return True
        text = ast.unparse(arg.annotation).lower() if arg.annotation else ""
        if any(hint in text for hint in _PAGE_HINTS):
            return True
    return False


def rule_paginated_lists(index: ProjectIndex) -> Outcome:
    """GET routes that return a list take pagination parameters."""
    gets = [r for r in _routes(index) if r.method == "get"]
    lists = [r for r in gets if _returns_list(r)]
    collections = lists + [r for r in gets if _returns_page(r) or _paginated(r)]
    findings = [
        _finding(
            "paginated-lists",
            route.file,
            route.function,
            f"GET {route.path or '?'} ({route.function.name}) returns a list without "
            "pagination: take limit (with a maximum) and offset, or a cursor",
        )
        for route in lists
        if not _paginated(route)
    ]
    return Outcome(applicable=bool(collections), findings=findings)


def _wildcard(node: ast.expr | None) -> bool:
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return any(isinstance(e, ast.Constant) and e.value == "*" for e in node.elts)
    return isinstance(node, ast.Constant) and node.value in {"*", ".*", "^.*$", ".+"}


def rule_cors_credentials(index: ProjectIndex) -> Outcome:
    """No wildcard CORS origin together with credentials."""
    applicable = False
    findings: list[Finding] = []
    for file in index.app:
        for call in _calls(file.tree):
            names = [
                file.qualify(call.func) or "",
                *(file.qualify(a) or "" for a in call.args),
            ]
            if not any(name.endswith("CORSMiddleware") for name in names):
                continue
            applicable = True
            origins = _keyword(call, "allow_origins")
            regex = _keyword(call, "allow_origin_regex")
            if (_wildcard(origins) or _wildcard(regex)) and _is_true(
                _keyword(call, "allow_credentials")
            ):
                findings.append(
                    _finding(
                        "cors-credentials",
                        file,
                        call,
                        "wildcard CORS origin with allow_credentials=True lets any website "
                        "call the API as the signed-in user: list the origins from settings",
                    )
                )
    return Outcome(applicable=applicable, findings=findings)


def _orm_classes(file: SourceFile) -> Iterator[ast.ClassDef]:
    for node in ast.walk(file.tree):
        if not isinstance(node, ast.ClassDef):
            continue
        table_kw = any(k.arg == "table" and _is_true(k.value) for k in node.keywords)
        tablename = any(
            isinstance(stmt, ast.Assign | ast.AnnAssign)
            and any(
                isinstance(t, ast.Name) and t.id == "__tablename__"
                for t in (
                    stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                )
            )
            for stmt in node.body
        )
        if table_kw or tablename:
            yield node


def _class_attributes(node: ast.ClassDef) -> Iterator[tuple[str, ast.stmt]]:
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            yield stmt.target.id, stmt
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    yield target.id, stmt


def rule_hashed_passwords(index: ProjectIndex) -> Outcome:
    """Passwords are stored hashed: no plain ``password`` column, and a hashing library."""
    findings: list[Finding] = []
    handles_passwords = False
    orm = False
    for file in index.app:
        for model in _orm_classes(file):
            orm = True
            for name, stmt in _class_attributes(model):
                if name.lower() in _PASSWORD_COLUMNS:
                    findings.append(
                        _finding(
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
            for c in _calls(f.tree)
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


def rule_lifespan(index: ProjectIndex) -> Outcome:
    """Startup and shutdown go in ``lifespan``, not ``on_event``."""
    applicable = any(f.imports("fastapi", "starlette") for f in index.app)
    findings = [
        _finding(
            "lifespan",
            file,
            call,
            f"{ast.unparse(call.func)}() is deprecated: use FastAPI(lifespan=...)",
        )
        for file in index.app
        for call in _calls(file.tree)
        if isinstance(call.func, ast.Attribute)
        and call.func.attr in {"on_event", "add_event_handler"}
    ]
    return Outcome(applicable=applicable or bool(findings), findings=findings)


def rule_typed_orm_models(index: ProjectIndex) -> Outcome:
    """SQLAlchemy 2 typed models: ``Mapped[...]`` + ``mapped_column()``."""
    applicable = any(f.imports("sqlalchemy", "sqlmodel") for f in index.app)
    findings: list[Finding] = []
    for file in index.app:
        for call in _calls(file.tree):
            if (file.qualify(call.func) or "").endswith("declarative_base"):
                findings.append(
                    _finding(
                        "typed-orm-models",
                        file,
                        call,
                        "declarative_base() is the legacy API: subclass DeclarativeBase",
                    )
                )
        for model in _orm_classes(file):
            for name, stmt in _class_attributes(model):
                value = getattr(stmt, "value", None)
                if not isinstance(value, ast.Call):
                    continue
                callee = (file.qualify(value.func) or "").rsplit(".", 1)[-1]
                if callee == "Column":
                    findings.append(
                        _finding(
                            "typed-orm-models",
                            file,
                            stmt,
                            f"{model.name}.{name} = Column(...): write "
                            f"`{name}: Mapped[T] = mapped_column(...)`",
                        )
                    )
                elif callee in {"mapped_column", "relationship"} and isinstance(
                    stmt, ast.Assign
                ):
                    findings.append(
                        _finding(
                            "typed-orm-models",
                            file,
                            stmt,
                            f"{model.name}.{name} has no Mapped[...] annotation",
                        )
                    )
    return Outcome(applicable=applicable, findings=findings)


def rule_db_naming_convention(index: ProjectIndex) -> Outcome:
    """ORM metadata has a naming convention, so Alembic's constraint names are stable."""
    orm = any(True for f in index.app for _ in _orm_classes(f))
    if not orm:
        return Outcome(applicable=False)
    named = any(
        (f.qualify(c.func) or "").endswith("MetaData")
        and _keyword(c, "naming_convention")
        for f in index.app
        for c in _calls(f.tree)
    )
    if named:
        return Outcome(applicable=True)
    return Outcome(
        applicable=True,
        findings=[
            Finding(
                code="db-naming-convention",
                message="ORM models without MetaData(naming_convention=...) on the base: "
                "constraint names then differ between databases and migrations",
            )
        ],
    )


def rule_session_expire_on_commit(index: ProjectIndex) -> Outcome:
    """Async session factories keep attributes after commit."""
    applicable = False
    findings: list[Finding] = []
    for file in index.app:
        for call in _calls(file.tree):
            name = (file.qualify(call.func) or "").rsplit(".", 1)[-1]
            async_factory = name == "async_sessionmaker" or (
                name == "sessionmaker"
                and "AsyncSession"
                in ast.unparse(_keyword(call, "class_") or ast.Constant(""))
            )
            if not async_factory:
                continue
            applicable = True
            flag = _keyword(call, "expire_on_commit")
            if not (isinstance(flag, ast.Constant) and flag.value is False):
                findings.append(
                    _finding(
                        "session-expire-on-commit",
                        file,
                        call,
                        f"{name}() without expire_on_commit=False: reading an attribute "
                        "after commit lazy-loads and raises MissingGreenlet",
                    )
                )
    return Outcome(applicable=applicable, findings=findings)


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
                    _finding(
                        "settings-not-at-import",
                        file,
                        stmt,
                        f"module-level {ast.unparse(value)} reads the environment at import "
                        "time: use a get_settings() with lru_cache and a SettingsDep",
                    )
                )
    return Outcome(applicable=True, findings=findings)


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
                    _finding(
                        "no-deprecated-status-names",
                        file,
                        node,
                        f"{name} is deprecated (StarletteDeprecationWarning): use the RFC 9110 "
                        "name, e.g. HTTP_422_UNPROCESSABLE_CONTENT",
                    )
                )
    return Outcome(applicable=applicable, findings=findings)


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
                            _finding(
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
                        _finding(
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
                    _finding(
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
                        _finding(
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
                        _finding(
                            "pydantic-v2-idioms",
                            file,
                            node,
                            f".{last}() is Pydantic v1: use model_validate / "
                            "model_validate_json / model_rebuild",
                        )
                    )
    return Outcome(applicable=applicable or bool(findings), findings=findings)


def _does_nothing(function: ast.FunctionDef) -> bool:
    body = [
        stmt
        for stmt in function.body
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant))
    ]
    return all(isinstance(stmt, ast.Pass) for stmt in body)


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
                _finding(
                    "alembic-downgrade",
                    file,
                    downgrade,
                    "migration without a working downgrade(): write the reverse operations",
                )
            )
    return Outcome(applicable=applicable, findings=findings)


Rule = Callable[[ProjectIndex], Outcome]

#: The rules, in report order.
RULES: dict[str, Rule] = {
    "src-layout": rule_src_layout,
    "domain-layout": rule_domain_layout,
    "annotated-dependencies": rule_annotated_dependencies,
    "no-blocking-in-async": rule_no_blocking_in_async,
    "timezone-aware-timestamps": rule_timezone_aware_timestamps,
    "paginated-lists": rule_paginated_lists,
    "cors-credentials": rule_cors_credentials,
    "hashed-passwords": rule_hashed_passwords,
    "lifespan": rule_lifespan,
    "typed-orm-models": rule_typed_orm_models,
    "db-naming-convention": rule_db_naming_convention,
    "session-expire-on-commit": rule_session_expire_on_commit,
    "settings-not-at-import": rule_settings_not_at_import,
    "no-deprecated-status-names": rule_no_deprecated_status_names,
    "pydantic-v2-idioms": rule_pydantic_v2_idioms,
    "alembic-downgrade": rule_alembic_downgrade,
}


def run_conformance(ctx: ScoringContext) -> CheckResult:
    """Check the skill's rules on the project's files (read on the host, never run)."""
    watch = Stopwatch()
    project = ctx.project
    if not project.python_files:
        return result(
            NAME,
            watch,
            status="error",
            score=0.0,
            reason="the project has no Python files",
        )
    index = build_index(project.files, lambda rel: read_bytes_safely(project.root, rel))
    figures: dict[str, int | float | str] = {}
    findings: list[Finding] = []
    applicable = passed = 0
    for name, rule in RULES.items():
        outcome = rule(index)
        if not outcome.applicable:
            figures[f"rule:{name}"] = "n/a"
            continue
        applicable += 1
        if outcome.findings:
            figures[f"rule:{name}"] = f"fail ({len(outcome.findings)})"
            findings += outcome.findings
        else:
            figures[f"rule:{name}"] = "pass"
            passed += 1
    figures |= {"applicable": applicable, "passed": passed}
    if applicable == 0:
        return result(
            NAME,
            watch,
            status="skipped",
            score=0.0,
            figures=figures,
            reason="none of the skill's rules applies to this project",
        )
    return result(
        NAME,
        watch,
        status="pass" if passed == applicable else "fail",
        score=passed / applicable,
        figures=figures,
        findings=findings,
    )
