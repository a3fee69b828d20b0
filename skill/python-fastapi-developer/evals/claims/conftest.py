"""Fixtures of the claim probes.

Run them with ``uv run harness skill verify skill/python-fastapi-developer``: it executes the
skill's blocks and these probes in the evaluation environment, in the sandbox, under
``-W error``, and names the sentence behind each probe that fails.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from claimkit import mypy_errors


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "claim(file, text): the sentence of the skill this probe guards"
    )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An async engine on a fresh SQLite file."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'probe.db'}")
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def mypy_checked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """mypy's errors per file for every probe module's ``MYPY_SNIPPETS``, in one run.

    mypy takes seconds to start; one run under the scorer's mypy.ini checks them all.
    """
    snippets: dict[str, str] = {}
    for item in request.session.items:
        snippets |= getattr(item.module, "MYPY_SNIPPETS", {})
    errors = mypy_errors(tmp_path_factory.mktemp("mypy"), snippets) if snippets else []
    return {
        name: [error for error in errors if error.startswith(f"{name}:")]
        for name in snippets
    }
