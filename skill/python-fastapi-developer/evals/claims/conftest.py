"""Fixtures of the claim probes.

Run them with ``uv run harness skill verify skill/python-fastapi-developer``: it executes the
skill's blocks and these probes in the evaluation environment, in the sandbox, under
``-W error``, and names the sentence behind each probe that fails.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine


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
