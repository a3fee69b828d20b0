"""SQLAlchemy models and sessions."""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    calls,
    class_attributes,
    finding,
    keyword,
    orm_classes,
)
from harness.scoring.checks.conformance.registry import Outcome, rule
from harness.scoring.results import Finding


@rule("typed-orm-models")
def rule_typed_orm_models(index: ProjectIndex) -> Outcome:
    """SQLAlchemy 2 typed models: ``Mapped[...]`` + ``mapped_column()``."""
    applicable = any(f.imports("sqlalchemy", "sqlmodel") for f in index.app)
    findings: list[Finding] = []
    for file in index.app:
        for call in calls(file.tree):
            if (file.qualify(call.func) or "").endswith("declarative_base"):
                findings.append(
                    finding(
                        "typed-orm-models",
                        file,
                        call,
                        "declarative_base() is the legacy API: subclass DeclarativeBase",
                    )
                )
        for model in orm_classes(file):
            for name, stmt in class_attributes(model):
                value = getattr(stmt, "value", None)
                if not isinstance(value, ast.Call):
                    continue
                callee = (file.qualify(value.func) or "").rsplit(".", 1)[-1]
                if callee == "Column":
                    findings.append(
                        finding(
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
                        finding(
                            "typed-orm-models",
                            file,
                            stmt,
                            f"{model.name}.{name} has no Mapped[...] annotation",
                        )
                    )
    return Outcome(applicable=applicable, findings=findings)


@rule("db-naming-convention")
def rule_db_naming_convention(index: ProjectIndex) -> Outcome:
    """ORM metadata has a naming convention, so Alembic's constraint names are stable."""
    orm = any(True for f in index.app for _ in orm_classes(f))
    if not orm:
        return Outcome(applicable=False)
    named = any(
        (f.qualify(c.func) or "").endswith("MetaData")
        and keyword(c, "naming_convention")
        for f in index.app
        for c in calls(f.tree)
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


@rule("session-expire-on-commit")
def rule_session_expire_on_commit(index: ProjectIndex) -> Outcome:
    """Async session factories keep attributes after commit."""
    applicable = False
    findings: list[Finding] = []
    for file in index.app:
        for call in calls(file.tree):
            name = (file.qualify(call.func) or "").rsplit(".", 1)[-1]
            async_factory = name == "async_sessionmaker" or (
                name == "sessionmaker"
                and "AsyncSession"
                in ast.unparse(keyword(call, "class_") or ast.Constant(""))
            )
            if not async_factory:
                continue
            applicable = True
            flag = keyword(call, "expire_on_commit")
            if not (isinstance(flag, ast.Constant) and flag.value is False):
                findings.append(
                    finding(
                        "session-expire-on-commit",
                        file,
                        call,
                        f"{name}() without expire_on_commit=False: reading an attribute "
                        "after commit lazy-loads and raises MissingGreenlet",
                    )
                )
    return Outcome(applicable=applicable, findings=findings)
