"""The ``conformance`` check: does the project follow the skill's machine-checkable rules?

It measures adherence to ``skill/python-fastapi-developer`` (not general quality), so reports
show it apart from the skill-neutral checks and its default weight is 0. Each rule is a named
AST analysis of the project's files, read on the host; no project code runs. A rule applies
only when the project contains what it is about (no ORM, no ORM rules); ``score`` is the
fraction of applicable rules with no finding.

The package: ``index`` parses the project and holds the shared AST helpers, ``registry``
the ``@rule(name)`` decorator and ``RULES``, ``rules/`` one module per theme, ``runner``
the check itself. A new rule is a function ``(ProjectIndex) -> Outcome`` decorated with
``@rule("name")`` in the theme's module, plus a failing and a passing case in
``tests/conformance/``. The rules (the seed audit's guideline-to-check table,
``shared/reference/seed-audit.md`` section 2, the second audit of issue I and the third of
issue I2):

- ``src-layout``: application code lives under ``src/`` next to ``pyproject.toml``.
- ``domain-layout``: routes live in ``<domain>/router.py`` beside ``schemas.py`` and
  ``service.py`` (a health or root route may live anywhere).
- ``annotated-dependencies``: no ``param = Depends(...)``/``Security(...)`` defaults.
- ``no-blocking-in-async``: no ``time.sleep``, ``requests``, sync ``httpx``, ``urlopen``,
  ``subprocess``, ``os.system``, ``open`` or sync SQLAlchemy ``Session``/``create_engine``
  directly inside ``async def``.
- ``no-sync-db-in-async``: no sync database driver or session used inside ``async def``:
  ``sqlite3``/``psycopg2``/``psycopg``/``pymysql``/``MySQLdb`` connections, a sync
  ``Session``/``sessionmaker``/``create_engine`` (built anywhere) queried there, or a
  session parameter typed ``Session``.
- ``timezone-aware-timestamps``: no ``utcnow``/``utcfromtimestamp``/``today``/``now()``
  without a zone, and datetime columns declared ``DateTime(timezone=True)``.
- ``paginated-lists``: GET routes that return a list take ``limit``/``offset``/``cursor``
  (or a pagination model or dependency).
- ``cors-credentials``: no wildcard CORS origin together with ``allow_credentials=True``.
- ``cors-settings-wildcard``: no CORS origins read from a settings field whose default
  holds ``*`` when credentials are allowed (literally or by a settings field defaulting
  to ``True``).
- ``hashed-passwords``: no ``password`` ORM column, and a hashing library wherever passwords
  are handled.
- ``lifespan``: no ``on_event``/``add_event_handler``; startup and shutdown go in ``lifespan``.
- ``typed-orm-models``: ``Mapped[...]`` + ``mapped_column()``; no ``Column()``, no
  ``declarative_base()``.
- ``db-naming-convention``: ``MetaData(naming_convention=...)`` when there are ORM models.
- ``session-expire-on-commit``: ``async_sessionmaker(..., expire_on_commit=False)``.
- ``patch-explicit-null``: a PATCH route whose update applies
  ``model_dump(exclude_unset=True)`` (without ``exclude_none``) to a model must use a schema
  that rejects ``None`` for each optional field backed by a NOT NULL column.
- ``settings-not-at-import``: no module-level ``settings = Settings()``.
- ``no-deprecated-status-names``: no ``HTTP_422_UNPROCESSABLE_ENTITY`` and friends.
- ``pydantic-v2-idioms``: no ``class Config``, ``json_encoders``, ``(str, Enum)``,
  ``@validator``/``@root_validator``, ``parse_obj``/``from_orm``/``parse_raw``.
- ``alembic-downgrade``: every migration has a ``downgrade()`` that does something.
- ``no-deprecated-sqlalchemy``: no API the environment's SQLAlchemy deprecates
  (``Result.tuples()``, ``Result.t``, ``Row._tuple()``, ``noload``, ``as_scalar()``...).
- ``hs256-key-length``: no JWT signing key literal under 32 bytes (passed to
  ``jwt.encode``/``decode``, or given to a key-like name such as ``jwt_secret``).
- ``password-not-stripped``: no model with a password field strips it
  (``str_strip_whitespace=True``, inherited too, or ``StringConstraints(strip_whitespace=True)``).

Tests (``tests/``, ``test_*.py``, ``conftest.py``) and migrations are exempt from the rules
about application code. Figures: ``applicable`` and ``passed`` (rule counts), and
``rule:<name>`` = ``pass``, ``fail (<findings>)`` or ``n/a``; each finding's code is its rule.
"""

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    SourceFile,
    build_index,
)
from harness.scoring.checks.conformance.registry import RULES, Outcome, Rule, rule
from harness.scoring.checks.conformance.runner import NAME, run_conformance

__all__ = [
    "NAME",
    "RULES",
    "Outcome",
    "ProjectIndex",
    "Rule",
    "SourceFile",
    "build_index",
    "rule",
    "run_conformance",
]
