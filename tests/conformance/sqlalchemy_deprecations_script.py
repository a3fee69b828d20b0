"""Run in the evaluation environment: which APIs named by no-deprecated-sqlalchemy warn?

Writes a JSON object to stdout: API name -> whether using it emits an SADeprecationWarning.
"""

import asyncio
import json
import sys
import warnings
from collections.abc import Callable

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    Result,
    Row,
    Table,
    create_engine,
    select,
)
from sqlalchemy.exc import SADeprecationWarning
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declarative_mixin,
    mapped_column,
    noload,
    relationship,
)


def warns(action: Callable[[], object]) -> bool:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action()
    return any(issubclass(w.category, SADeprecationWarning) for w in caught)


class Base(DeclarativeBase):
    pass


class Parent(Base):
    __tablename__ = "parent"
    id: Mapped[int] = mapped_column(primary_key=True)
    children: Mapped[list["Child"]] = relationship()


class Child(Base):
    __tablename__ = "child"
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("parent.id"))


engine = create_engine("sqlite://")
connection = engine.connect()


def result() -> Result[tuple[int]]:
    return connection.execute(select(1))


def row() -> Row[tuple[int, int]]:
    return connection.execute(select(1, 2)).one()


def lazy_noload() -> None:
    class Other(DeclarativeBase):
        pass

    class A(Other):
        __tablename__ = "a"
        id: Mapped[int] = mapped_column(primary_key=True)
        bs: Mapped[list["B"]] = relationship(lazy="noload")

    class B(Other):
        __tablename__ = "b"
        id: Mapped[int] = mapped_column(primary_key=True)
        a_id: Mapped[int] = mapped_column(ForeignKey("a.id"))

    Other.registry.configure()


def mixin() -> None:
    @declarative_mixin
    class Stamped:
        pass


def copy_table() -> None:
    Table("x", MetaData(), Column("id", Integer)).tometadata(MetaData())


found = {
    "tuples": warns(lambda: result().tuples()),
    "t": warns(lambda: result().t),
    "_tuple": warns(lambda: row()._tuple()),
    "_t": warns(lambda: row()._t),
    "as_scalar": warns(lambda: select(Parent.id).as_scalar()),
    "tometadata": warns(copy_table),
    "close_all": warns(lambda: asyncio.run(AsyncSession.close_all())),
    "sqlalchemy.orm.noload": warns(lambda: noload(Parent.children)),
    "sqlalchemy.orm.declarative_mixin": warns(mixin),
    "lazy=noload": warns(lazy_noload),
}
sys.stdout.write(json.dumps(found) + "\n")
