"""The first scoring after a build warms the mypy cache: a long wait that says so."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.sandbox import SandboxResult
from harness.scoring.checks.typecheck import CACHE, ensure_warm_cache

if TYPE_CHECKING:
    from harness.sandbox import SandboxRequest


class _Box:
    """A sandbox whose one command (mypy on the warm-up project) fills the cache."""

    name = "fake"

    def run(self, request: SandboxRequest) -> SandboxResult:
        cache = next(m.source for m in request.mounts if m.target == CACHE)
        (cache / "3.12").mkdir()
        return SandboxResult(
            returncode=0, stdout="", stderr="", duration_s=1.0, backend="fake"
        )


class _Environment:
    """Keeps the cache it is given; holds none to begin with."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stored: Path | None = None

    def mypy_cache_key(self, config_text: str) -> str:
        del config_text
        return "k"

    def warm_mypy_cache(self, key: str) -> Path | None:
        del key
        return self.stored

    def store_mypy_cache(self, key: str, made: Path) -> Path:
        del key
        self.stored = self.root / "kept"
        made.rename(self.stored)
        return self.stored


def test_warming_says_what_it_does_and_how_long_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    environment = _Environment(tmp_path)
    (tmp_path / "one").mkdir()
    with caplog.at_level(logging.INFO, logger="harness"):
        warm = ensure_warm_cache(_Box(), environment, tmp_path / "one")  # type: ignore[arg-type]
    assert warm == tmp_path / "kept"
    messages = [record.getMessage() for record in caplog.records]
    assert any(
        "warming the mypy cache" in m and "up to a minute" in m for m in messages
    )
    assert any(m.startswith("mypy cache warm in ") for m in messages)
    # A warm cache is reused in silence.
    caplog.clear()
    (tmp_path / "two").mkdir()
    with caplog.at_level(logging.INFO, logger="harness"):
        assert ensure_warm_cache(_Box(), environment, tmp_path / "two") == warm  # type: ignore[arg-type]
    assert caplog.records == []
