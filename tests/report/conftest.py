"""Fixtures of the report tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def results(tmp_path: Path) -> Path:
    """A folder holding runs."""
    folder = tmp_path / "results"
    folder.mkdir()
    return folder
