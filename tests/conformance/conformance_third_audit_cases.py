"""Cases of the rules the third skill audit added (issue I2), in test_conformance's format.

Each is ``(rule, files, expected status, expected findings as (path, line))``; files are
dedented, so line 1 is the first line of code.
"""

CaseFiles = dict[str, str]
Case = tuple[str, CaseFiles, str, list[tuple[str | None, int | None]]]

DEPRECATED_SQLALCHEMY = """
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import declarative_mixin, noload, relationship


async def counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(func.count()))
    pairs = rows.tuples().all()
    first = (await session.execute(select(func.count()))).t.first()
    row = (await session.execute(select(func.count()))).one()
    values = row._tuple()
    also = row._t
    await AsyncSession.close_all()
    return dict(pairs) | {"first": first, "values": values, "also": also}


query = select(func.count()).options(noload("*")).as_scalar()


@declarative_mixin
class Mixin:
    items = relationship("Item", lazy="noload")
"""

CURRENT_SQLALCHEMY = """
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, close_all_sessions


async def counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(func.count()))
    await close_all_sessions()
    return dict(rows.all())


class Point:
    def tuples(self) -> list[int]:
        return []


subquery = select(func.count()).scalar_subquery()
"""

SHORT_KEYS = {
    "src/app/config.py": """
    from pydantic import SecretStr
    from pydantic_settings import BaseSettings


    class Settings(BaseSettings):
        jwt_secret: SecretStr = SecretStr("changeme")
        secret_key: str = "dev"
        api_key: str = "short-but-not-a-signing-key"
    """,
    "src/app/tokens.py": """
    import jwt

    SIGNING_KEY = "x" * 40


    def make(user: int) -> str:
        return jwt.encode({"sub": str(user)}, "my-secret", algorithm="HS256")


    def read(token: str) -> dict[str, object]:
        return jwt.decode(token, SIGNING_KEY, algorithms=["HS256"])
    """,
    "tests/conftest.py": """
    from app.config import Settings

    settings = Settings(jwt_secret="test-secret")
    long_enough = Settings(jwt_secret="test-key-of-at-least-32-bytes-long")
    """,
}

LONG_KEYS = {
    "src/app/config.py": """
    import secrets

    from pydantic import Field, SecretStr
    from pydantic_settings import BaseSettings


    class Settings(BaseSettings):
        jwt_secret: SecretStr = Field(min_length=32)
        jwt_algorithm: str = "HS256"
        token_type: str = "bearer"
        fallback_key: str = Field(default_factory=lambda: secrets.token_urlsafe(32))
    """,
    "src/app/tokens.py": """
    import jwt


    def make(user: int, key: str) -> str:
        return jwt.encode({"sub": str(user)}, key, algorithm="HS256")
    """,
    "tests/conftest.py": """
    from app.config import Settings

    settings = Settings(jwt_secret="test-key-of-at-least-32-bytes-long")
    """,
}

STRIPPING_SCHEMAS = """
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class Stripping(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)


class SignUp(Stripping):
    email: str
    password: str


class Login(BaseModel):
    model_config = {"str_strip_whitespace": True}

    username: str
    password: str


class Reset(BaseModel):
    new_password: Annotated[str, StringConstraints(strip_whitespace=True, min_length=12)]
"""

PER_FIELD_SCHEMAS = """
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Email = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True)]


class SignUp(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: str


class Contact(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str


class UserRow(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    hashed_password: str
"""

THIRD_AUDIT_CASES: list[Case] = [
    (
        "no-deprecated-sqlalchemy",
        {"src/app/queries.py": DEPRECATED_SQLALCHEMY},
        "fail",
        [
            ("src/app/queries.py", 8),
            ("src/app/queries.py", 9),
            ("src/app/queries.py", 11),
            ("src/app/queries.py", 12),
            ("src/app/queries.py", 13),
            ("src/app/queries.py", 17),
            ("src/app/queries.py", 17),
            ("src/app/queries.py", 20),
            ("src/app/queries.py", 22),
        ],
    ),
    (
        "no-deprecated-sqlalchemy",
        {
            "src/app/queries.py": CURRENT_SQLALCHEMY,
            "src/app/points.py": "import numpy\n\nrows = numpy.array([]).tuples()\n",
        },
        "pass",
        [],
    ),
    ("no-deprecated-sqlalchemy", {"src/app/main.py": "x = 1\n"}, "n/a", []),
    (
        "hs256-key-length",
        SHORT_KEYS,
        "fail",
        [
            ("src/app/config.py", 6),
            ("src/app/config.py", 7),
            ("src/app/tokens.py", 7),
            ("tests/conftest.py", 3),
        ],
    ),
    ("hs256-key-length", LONG_KEYS, "pass", []),
    (
        "hs256-key-length",
        {"src/app/config.py": 'SECRET_KEY = "dev"\n'},
        "n/a",
        [],
    ),
    (
        "password-not-stripped",
        {"src/app/schemas.py": STRIPPING_SCHEMAS},
        "fail",
        [
            ("src/app/schemas.py", 12),
            ("src/app/schemas.py", 19),
            ("src/app/schemas.py", 23),
        ],
    ),
    ("password-not-stripped", {"src/app/schemas.py": PER_FIELD_SCHEMAS}, "pass", []),
]
