"""No synchronous database access inside ``async def``.

A sync driver or SQLAlchemy ``Session`` blocks the event loop for the whole query, and
ruff's ``ASYNC`` rules do not know database drivers. Three shapes are found, each only in
code that runs directly in an ``async def`` (nested ``def``s and lambdas, which may be
sent to a thread, are left alone):

- a call to a sync driver or factory: ``sqlite3.connect``, ``psycopg2.connect``,
  ``Session(...)``, ``create_engine(...)``...;
- a call on a module-level sync object: ``engine = create_engine(...)`` or
  ``SessionLocal = sessionmaker(...)`` used as ``SessionLocal()`` or ``engine.connect()``;
- a call on a parameter typed as a sync session or connection, directly, through
  ``Annotated[Session, ...]`` or through a module-level alias of it (``DbDep``).
"""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    SourceFile,
    async_calls,
    finding,
    keyword,
)
from harness.scoring.checks.conformance.registry import Outcome, rule
from harness.scoring.results import Finding

#: Calls that open a synchronous connection, engine or session.
SYNC_FACTORIES = {
    "sqlite3.connect": "sqlite3 is synchronous: use aiosqlite",
    "psycopg2.connect": "psycopg2 is synchronous: use asyncpg or psycopg's AsyncConnection",
    "psycopg.connect": "psycopg.connect() is synchronous: use AsyncConnection.connect()",
    "psycopg.Connection.connect": "psycopg.Connection is synchronous: use AsyncConnection",
    "pymysql.connect": "pymysql is synchronous: use aiomysql or asyncmy",
    "MySQLdb.connect": "MySQLdb is synchronous: use aiomysql or asyncmy",
    "mysql.connector.connect": "mysql.connector is synchronous: use aiomysql or asyncmy",
    "sqlalchemy.create_engine": "a sync engine blocks: use create_async_engine",
    "sqlalchemy.engine.create_engine": "a sync engine blocks: use create_async_engine",
    "sqlmodel.create_engine": "a sync engine blocks: use create_async_engine",
    "sqlalchemy.orm.Session": "a sync Session blocks: use AsyncSession",
    "sqlalchemy.orm.sessionmaker": "a sync sessionmaker blocks: use async_sessionmaker",
    "sqlalchemy.orm.scoped_session": "a sync scoped_session blocks: use AsyncSession",
    "sqlmodel.Session": "a sync Session blocks: use sqlmodel's AsyncSession",
}
#: Types of a sync session or connection, as a parameter's annotation names them.
SYNC_TYPES = frozenset(
    {
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlmodel.Session",
        "sqlalchemy.engine.Connection",
        "sqlalchemy.Connection",
        "sqlalchemy.engine.Engine",
        "sqlalchemy.Engine",
        "sqlite3.Connection",
        "psycopg2.extensions.connection",
        "psycopg.Connection",
    }
)
_DATABASE_ROOTS = (
    "sqlalchemy",
    "sqlmodel",
    "sqlite3",
    "psycopg2",
    "psycopg",
    "pymysql",
    "MySQLdb",
    "mysql",
    "aiosqlite",
    "asyncpg",
    "databases",
)


def _factory(file: SourceFile, call: ast.Call) -> str | None:
    """Why ``call`` opens sync database access, or None (async session classes pass)."""
    why = SYNC_FACTORIES.get(file.qualify(call.func) or "")
    class_ = keyword(call, "class_")
    if why and class_ is not None and "Async" in ast.unparse(class_):
        return None
    return why


def _root(node: ast.expr) -> ast.Name | None:
    """The name a call chain starts from: ``engine`` in ``engine.connect().execute``."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node if isinstance(node, ast.Name) else None


def _is_sync_type(file: SourceFile, annotation: ast.expr, aliases: set[str]) -> bool:
    """Whether an annotation is a sync session type, an ``Annotated`` one, or an alias."""
    if isinstance(annotation, ast.Subscript) and (
        file.qualify(annotation.value) or ""
    ).endswith("Annotated"):
        first = annotation.slice
        if isinstance(first, ast.Tuple) and first.elts:
            first = first.elts[0]
        return _is_sync_type(file, first, aliases)
    name = file.qualify(annotation) or ""
    return name in SYNC_TYPES or name.rsplit(".", 1)[-1] in aliases


def _module_level(index: ProjectIndex) -> tuple[set[str], set[str]]:
    """Names bound at module level to sync objects, and aliases of sync session types."""
    objects: set[str] = set()
    aliases: set[str] = set()
    for file in index.app:
        for stmt in file.tree.body:
            if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
                targets = (
                    stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                )
                names = {t.id for t in targets if isinstance(t, ast.Name)}
                value = stmt.value
            elif isinstance(stmt, ast.TypeAlias):
                names, value = {stmt.name.id}, stmt.value
            else:
                continue
            if isinstance(value, ast.Call) and _factory(file, value):
                objects |= names
            elif _is_sync_type(file, value, set()):
                aliases |= names
    return objects, aliases


@rule("no-sync-db-in-async")
def rule_no_sync_db_in_async(index: ProjectIndex) -> Outcome:
    """No sync database driver, engine or session used directly inside ``async def``."""
    uses_database = any(f.imports(*_DATABASE_ROOTS) for f in index.app)
    objects, aliases = _module_level(index)
    applicable = False
    findings: list[Finding] = []
    for file in index.app:
        for node in ast.walk(file.tree):
            if not isinstance(node, ast.AsyncFunctionDef):
                continue
            applicable = applicable or uses_database
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            sync_params = {
                a.arg
                for a in arguments
                if a.annotation is not None
                and _is_sync_type(file, a.annotation, aliases)
            }
            for call in async_calls(node):
                why = _factory(file, call)
                root = _root(call.func)
                if why is None and root is not None:
                    if root.id in sync_params:
                        why = f"{root.id} is a sync session or connection"
                    elif (file.qualify(root) or "").rsplit(".", 1)[-1] in objects:
                        why = f"{root.id} is a sync engine or session factory"
                if why:
                    applicable = True
                    findings.append(
                        finding(
                            "no-sync-db-in-async",
                            file,
                            call,
                            f"in async def {node.name}(): {why} (or make it a `def`, "
                            "which FastAPI runs in a thread)",
                        )
                    )
    unique = {
        (f.path, f.line): f for f in findings
    }  # one per line, not per chained call
    return Outcome(applicable=applicable, findings=list(unique.values()))
