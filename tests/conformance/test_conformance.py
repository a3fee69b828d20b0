"""The conformance check: each of the skill's rules, on small projects written per test."""

import textwrap
from pathlib import Path

import pytest
from conformance_audit_cases import AUDIT_CASES
from conformance_third_audit_cases import THIRD_AUDIT_CASES

from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.project import load_project, read_bytes_safely
from harness.sandbox import Sandbox
from harness.scoring.checks.conformance import RULES, Outcome, build_index, rule
from harness.scoring.scorer import DEFAULT_WEIGHTS, score_project, select_checks

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = '[project]\nname = "demo"\nversion = "0"\n'


def write(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in {"pyproject.toml": PYPROJECT, **files}.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


def verdict(folder: Path, rule: str) -> tuple[str, list[tuple[str | None, int | None]]]:
    project = load_project(folder)
    index = build_index(project.files, lambda rel: read_bytes_safely(project.root, rel))
    outcome = RULES[rule](index)
    if not outcome.applicable:
        return "n/a", []
    status = "fail" if outcome.findings else "pass"
    return status, [(f.path, f.line) for f in outcome.findings]


ROUTER_HEAD = """
from typing import Annotated

from fastapi import APIRouter, Depends, Query

router = APIRouter()
"""

CASES: list[tuple[str, dict[str, str], str, list[tuple[str | None, int | None]]]] = [
    # (rule, files, expected status, expected findings)
    ("src-layout", {"src/app/main.py": "x = 1\n"}, "pass", []),
    ("src-layout", {"app/main.py": "x = 1\n"}, "fail", [("app/main.py", None)]),
    (
        "src-layout",
        {
            "src/app/main.py": "x = 1\n",
            "alembic/env.py": "y = 2\n",
            "tests/test_x.py": "z = 3\n",
        },
        "pass",
        [],
    ),
    (
        "domain-layout",
        {
            "src/app/posts/router.py": ROUTER_HEAD
            + "@router.get('/posts')\ndef a() -> int:\n"
            "    return 1\n",
            "src/app/posts/schemas.py": "",
            "src/app/posts/service.py": "",
        },
        "pass",
        [],
    ),
    (
        "domain-layout",
        {
            "src/app/main.py": "from fastapi import FastAPI\napp = FastAPI()\n\n"
            "@app.get('/health')\ndef health() -> str:\n    return 'ok'\n\n"
            "@app.get('/posts')\ndef posts() -> list[int]:\n    return []\n",
        },
        "fail",
        [("src/app/main.py", None)],
    ),
    (
        "domain-layout",
        {
            "src/app/posts/router.py": ROUTER_HEAD
            + "@router.post('/posts')\ndef a() -> None:\n"
            "    pass\n"
        },
        "fail",
        [("src/app/posts/router.py", None)],
    ),
    (
        "annotated-dependencies",
        {
            "src/app/deps.py": ROUTER_HEAD + "def dep() -> int:\n    return 1\n\n"
            "def ok(x: Annotated[int, Depends(dep)]) -> int:\n    return x\n\n"
            "def bad(x: int = Depends(dep), *, y: int = Depends(dep)) -> int:\n"
            "    return x + y\n",
        },
        "fail",
        [("src/app/deps.py", 12), ("src/app/deps.py", 12)],
    ),
    (
        "annotated-dependencies",
        {
            "src/app/deps.py": ROUTER_HEAD + "def dep() -> int:\n    return 1\n\n"
            "Dep = Annotated[int, Depends(dep)]\n"
        },
        "pass",
        [],
    ),
    (
        "no-blocking-in-async",
        {
            "src/app/io.py": """
            import time
            from time import sleep as nap
            import requests
            import httpx
            from anyio import to_thread

            async def bad() -> None:
                time.sleep(1)
                nap(1)
                requests.get("http://x")
                httpx.post("http://x")
                with open("f") as f:
                    f.read()

            async def good() -> None:
                def work() -> None:
                    time.sleep(1)

                await to_thread.run_sync(work)
                async with httpx.AsyncClient() as client:
                    await client.get("http://x")

            def sync_is_fine() -> None:
                time.sleep(1)
            """,
        },
        "fail",
        [("src/app/io.py", n) for n in (8, 9, 10, 11, 12)],
    ),
    (
        "no-blocking-in-async",
        {
            "src/app/io.py": "import anyio\n\nasync def f() -> None:\n    await anyio.sleep(1)\n"
        },
        "pass",
        [],
    ),
    (
        "timezone-aware-timestamps",
        {
            "src/app/models.py": """
            from datetime import UTC, datetime

            from sqlalchemy import DateTime
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            class Base(DeclarativeBase):
                pass

            class Post(Base):
                __tablename__ = "post"
                id: Mapped[int] = mapped_column(primary_key=True)
                created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
                seen_at: Mapped[datetime] = mapped_column(DateTime())
                edited_at: Mapped[datetime | None] = mapped_column(default=datetime.utcnow)

            def now() -> datetime:
                return datetime.now(UTC)

            def naive() -> datetime:
                return datetime.now()
            """,
        },
        "fail",
        [
            ("src/app/models.py", 13),
            ("src/app/models.py", 14),
            ("src/app/models.py", 14),
            ("src/app/models.py", 20),
        ],
    ),
    (
        "paginated-lists",
        {
            "src/app/posts/router.py": ROUTER_HEAD
            + textwrap.dedent("""
            class PageParams:
                pass

            @router.get("/a")
            def unpaged() -> list[int]:
                return []

            @router.get("/b")
            def paged(limit: Annotated[int, Query(le=100)] = 20, offset: int = 0) -> list[int]:
                return []

            @router.get("/c")
            def model(page: Annotated[PageParams, Query()]) -> list[int]:
                return []

            @router.get("/d", response_model=list[int])
            def declared():
                return []

            @router.get("/e")
            def one() -> int:
                return 1
            """),
        },
        "fail",
        [("src/app/posts/router.py", 11), ("src/app/posts/router.py", 23)],
    ),
    (
        "cors-credentials",
        {
            "src/app/main.py": """
            from fastapi import FastAPI
            from fastapi.middleware.cors import CORSMiddleware

            app = FastAPI()
            app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
            app.add_middleware(CORSMiddleware, allow_origins=["*"])
            app.add_middleware(CORSMiddleware, allow_origin_regex=".*", allow_credentials=True)
            """,
        },
        "fail",
        [("src/app/main.py", 5), ("src/app/main.py", 7)],
    ),
    (
        "hashed-passwords",
        {
            "src/app/users/models.py": """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            class Base(DeclarativeBase):
                pass

            class User(Base):
                __tablename__ = "user"
                id: Mapped[int] = mapped_column(primary_key=True)
                password: Mapped[str]
            """,
            "src/app/users/schemas.py": """
            from pydantic import BaseModel

            class UserCreate(BaseModel):
                password: str
            """,
        },
        "fail",
        [("src/app/users/models.py", 9), (None, None)],
    ),
    (
        "hashed-passwords",
        {
            "src/app/users/models.py": """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            class Base(DeclarativeBase):
                pass

            class User(Base):
                __tablename__ = "user"
                id: Mapped[int] = mapped_column(primary_key=True)
                hashed_password: Mapped[str]
            """,
            "src/app/users/schemas.py": """
            from pwdlib import PasswordHash
            from pydantic import BaseModel

            class UserCreate(BaseModel):
                password: str
            """,
        },
        "pass",
        [],
    ),
    (
        "lifespan",
        {
            "src/app/main.py": """
            from fastapi import FastAPI

            app = FastAPI()

            @app.on_event("startup")
            async def start() -> None:
                pass

            app.add_event_handler("shutdown", start)
            """,
        },
        "fail",
        [("src/app/main.py", 5), ("src/app/main.py", 9)],
    ),
    (
        "typed-orm-models",
        {
            "src/app/models.py": """
            from sqlalchemy import Column, Integer
            from sqlalchemy.orm import declarative_base, mapped_column, relationship

            Base = declarative_base()

            class Post(Base):
                __tablename__ = "post"
                id = Column(Integer, primary_key=True)
                rank = mapped_column(Integer)
            """,
        },
        "fail",
        [("src/app/models.py", 4), ("src/app/models.py", 8), ("src/app/models.py", 9)],
    ),
    (
        "db-naming-convention",
        {
            "src/app/models.py": """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            class Base(DeclarativeBase):
                pass

            class Post(Base):
                __tablename__ = "post"
                id: Mapped[int] = mapped_column(primary_key=True)
            """,
        },
        "fail",
        [(None, None)],
    ),
    (
        "session-expire-on-commit",
        {
            "src/app/database.py": """
            from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
            from sqlalchemy.orm import sessionmaker

            engine = create_async_engine("sqlite+aiosqlite://")
            good = async_sessionmaker(engine, expire_on_commit=False)
            bad = async_sessionmaker(engine)
            old = sessionmaker(engine, class_=AsyncSession)
            """,
        },
        "fail",
        [("src/app/database.py", 6), ("src/app/database.py", 7)],
    ),
    (
        "settings-not-at-import",
        {
            "src/app/config.py": """
            from functools import lru_cache

            from pydantic_settings import BaseSettings

            class Settings(BaseSettings):
                debug: bool = False

            settings = Settings()

            @lru_cache
            def get_settings() -> Settings:
                return Settings()

            config = get_settings()

            def later() -> Settings:
                return get_settings()
            """,
        },
        "fail",
        [("src/app/config.py", 8), ("src/app/config.py", 14)],
    ),
    (
        "no-deprecated-status-names",
        {
            "src/app/errors.py": "from fastapi import status\n\n"
            "a = status.HTTP_422_UNPROCESSABLE_ENTITY\nb = status.HTTP_404_NOT_FOUND\n",
            "tests/test_errors.py": (
                "from starlette.status import HTTP_413_REQUEST_ENTITY_TOO_LARGE\n"
            ),
        },
        "fail",
        [("src/app/errors.py", 3), ("tests/test_errors.py", 1)],
    ),
    (
        "pydantic-v2-idioms",
        {
            "src/app/schemas.py": """
            from enum import Enum

            from pydantic import BaseModel, validator

            class Colour(str, Enum):
                RED = "red"

            class Post(BaseModel):
                title: str

                class Config:
                    json_encoders = {}

                @validator("title")
                def check(cls, value: str) -> str:
                    return value

            post = Post.parse_obj({"title": "x"})
            """,
        },
        "fail",
        [
            ("src/app/schemas.py", 5),
            ("src/app/schemas.py", 11),
            ("src/app/schemas.py", 14),
            ("src/app/schemas.py", 18),
        ],
    ),
    (
        "alembic-downgrade",
        {
            "alembic/versions/0001_a.py": "def upgrade() -> None:\n    create()\n\n"
            "def downgrade() -> None:\n    pass\n",
            "alembic/versions/0002_b.py": "def upgrade() -> None:\n    create()\n\n"
            "def downgrade() -> None:\n    drop()\n",
            "alembic/versions/0003_c.py": "def upgrade() -> None:\n    create()\n",
        },
        "fail",
        [("alembic/versions/0001_a.py", 4), ("alembic/versions/0003_c.py", None)],
    ),
    *AUDIT_CASES,
    *THIRD_AUDIT_CASES,
]


@pytest.mark.parametrize(
    ("rule", "files", "status", "expected"),
    CASES,
    ids=[f"{case[0]}-{n}" for n, case in enumerate(CASES)],
)
def test_rule(
    tmp_path: Path,
    rule: str,
    files: dict[str, str],
    status: str,
    expected: list[tuple[str | None, int | None]],
) -> None:
    got_status, findings = verdict(write(tmp_path / "p", files), rule)
    assert got_status == status
    assert sorted(findings, key=str) == sorted(expected, key=str)


def test_every_rule_has_a_failing_case() -> None:
    failing = {rule for rule, _, status, _ in CASES if status == "fail"}
    assert failing == set(RULES)


def test_a_rule_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        rule("src-layout")(lambda _index: Outcome(applicable=False))
    assert list(RULES)[:2] == ["src-layout", "domain-layout"]


def test_rules_do_not_apply_to_what_the_project_lacks(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "p", {"src/app/util.py": "def f() -> int:\n    return 1\n"}
    )
    applicable = {rule for rule in RULES if verdict(folder, rule)[0] != "n/a"}
    assert applicable == {"src-layout"}


def test_unparsable_files_are_left_to_other_checks(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "p", {"src/app/bad.py": "def (:\n", "src/app/ok.py": "x = 1\n"}
    )
    assert verdict(folder, "src-layout") == ("pass", [])


def test_skill_template_and_example_follow_every_applicable_rule() -> None:
    # The template has every feature a rule looks at; the example has no CORS and no
    # migrations. A rule that stops applying to them has gone blind, not been kept.
    # Neither has login: the signing-key and password rules are checked on the task
    # references that do (test_key_and_password_rules_apply_to_the_auth_references).
    no_auth = {"hs256-key-length", "password-not-stripped"}
    for folder, not_applicable in (
        (ROOT / "skill/python-fastapi-developer/assets/project-template", no_auth),
        (
            ROOT / "examples/bookmarks/project",
            {
                "cors-credentials",
                "cors-settings-wildcard",
                "alembic-downgrade",
                "patch-explicit-null",
                *no_auth,
            },
        ),
    ):
        assert folder.is_dir(), f"{folder} is gone: update this test"
        verdicts = {rule: verdict(folder, rule) for rule in RULES}
        assert {r: v for r, v in verdicts.items() if v[0] == "fail"} == {}, folder
        assert {r for r, v in verdicts.items() if v[0] == "n/a"} == not_applicable


def test_key_and_password_rules_apply_to_the_auth_references() -> None:
    for task in ("auth-jwt", "oauth2-scopes"):
        folder = ROOT / "evals" / "tasks" / task / "reference"
        assert folder.is_dir(), f"{folder} is gone: update this test"
        for rule_name in (
            "hs256-key-length",
            "password-not-stripped",
            "no-deprecated-sqlalchemy",
        ):
            assert verdict(folder, rule_name) == ("pass", []), (task, rule_name)


def test_registered_with_weight_zero_and_scored_as_a_fraction(tmp_path: Path) -> None:
    assert "conformance" in select_checks(None)
    assert DEFAULT_WEIGHTS["conformance"] == 0.0
    folder = write(
        tmp_path / "p",
        {
            "src/app/main.py": """
            import time

            from fastapi import FastAPI

            app = FastAPI()

            @app.on_event("startup")
            async def start() -> None:
                time.sleep(1)
            """,
        },
    )
    environment = EvaluationEnvironment()
    environment.ensure_built()
    sandbox = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    score = score_project(
        folder, sandbox=sandbox, environment=environment, checks=["conformance"]
    )
    check = score.check("conformance")
    assert check.status == "fail"
    # Applicable: src-layout (pass), no-blocking-in-async (fail), lifespan (fail),
    # no-deprecated-status-names and pydantic-v2-idioms do not apply.
    assert check.figures["applicable"] == 3
    assert check.figures["passed"] == 1
    assert check.score == pytest.approx(1 / 3, abs=1e-4)
    assert check.figures["rule:lifespan"] == "fail (1)"
    assert check.figures["rule:cors-credentials"] == "n/a"
    assert {f.code for f in check.findings} == {"no-blocking-in-async", "lifespan"}
    assert score.weights["conformance"] == 0.0
