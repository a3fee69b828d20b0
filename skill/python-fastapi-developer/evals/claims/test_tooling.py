"""Probes of references/tooling.md: the configuration, what the rules catch, the CLI defaults."""

import inspect
import re
import tomllib
from pathlib import Path

import pytest

from claimkit import CONFIGS, TEMPLATE, block_after, ruff_codes, text

TOOLING = "references/tooling.md"
MYPY_SNIPPETS = {"tooling_bare_ignore.py": '"""M."""\n\nx: int = "a"  # type: ignore\n'}


@pytest.mark.claim(
    TOOLING,
    "The template's tool configuration, which every rule in this skill is checked against",
)
def test_the_configuration_shown_is_the_templates_and_the_scorers() -> None:
    shown = tomllib.loads(
        block_after(text(TOOLING), "The template's tool configuration")
    )
    template = tomllib.loads((TEMPLATE / "pyproject.toml").read_text())
    for tool in ("fastapi", "ruff", "mypy", "pydantic-mypy"):
        assert shown["tool"][tool] == template["tool"][tool], tool
    pytest_shown = shown["tool"]["pytest"]["ini_options"]
    assert pytest_shown == template["tool"]["pytest"]["ini_options"]
    scorer = tomllib.loads((CONFIGS / "ruff.toml").read_text())
    assert shown["tool"]["ruff"]["lint"]["select"] == scorer["lint"]["select"]


@pytest.mark.claim(
    TOOLING,
    "| `FAST` | `= Depends()` defaults (FAST002), `response_model` duplicating the return type (FAST001), unused path parameters (FAST003) |",
)
@pytest.mark.claim(
    TOOLING,
    "| `ASYNC` | `time.sleep`, `open`, `subprocess`, `requests` inside `async def` |",
)
@pytest.mark.claim(
    TOOLING, "| `DTZ` | `datetime.now()` without a timezone, `utcnow()` calls |"
)
@pytest.mark.claim(
    TOOLING,
    "| `B` | mutable argument defaults (B006), `raise` without `from` in `except` (B904); not `= Depends()` in a helper (B008 exempts it, FAST002 checks routes only) |",
)
@pytest.mark.claim(
    TOOLING,
    "| `S` | hard-coded secrets, `assert` in app code, SQL built from strings (S608) |",
)
@pytest.mark.claim(
    TOOLING,
    "| `TRY400`, `BLE`, `T20` | `logger.error` in `except`, blind `except Exception`, `print` |",
)
def test_each_rule_family_catches_what_the_table_says(tmp_path: Path) -> None:
    code = """
    import logging
    import subprocess
    import time
    from datetime import datetime
    from pathlib import Path

    import requests
    from fastapi import APIRouter, Depends

    router = APIRouter()
    logger = logging.getLogger(__name__)
    PASSWORD = "hunter2"


    def get_db() -> str:
        return "db"


    def helper(db: str = Depends(get_db)) -> str:
        return db


    def collect(into: list[str] = []) -> list[str]:
        return into


    class Item:
        pass


    @router.get("/items/{item_id}", response_model=Item)
    async def read(db: str = Depends(get_db)) -> Item:
        time.sleep(1)
        open("x")
        subprocess.run(["ls"], check=False)
        requests.get("https://example.com", timeout=1)
        datetime.now()
        datetime.utcnow()
        assert db
        try:
            int("x")
        except ValueError:
            raise RuntimeError("bad")
        try:
            int("y")
        except Exception:
            logger.error("failed")
        print(f"SELECT * FROM item WHERE name = '{db}'")
        return Item()
    """
    expected = {
        "FAST001", "FAST002", "FAST003", "ASYNC251", "ASYNC230", "ASYNC221", "ASYNC210",
        "DTZ005", "DTZ003", "B006", "B904", "S105", "S101", "S608", "TRY400", "BLE001",
        "T201",
    }  # fmt: skip
    select = "FAST,ASYNC,DTZ,B,S,TRY400,BLE,T20"
    found = ruff_codes(tmp_path, code, select)
    assert expected <= set(found), sorted(expected - set(found))
    # `def helper(db: str = Depends(get_db))` outside a route: nothing flags it.
    assert "B008" not in found
    assert found.count("FAST002") == 1, found  # the route's, not the helper's


@pytest.mark.claim(
    TOOLING,
    "never a bare `# noqa` (PGH004) and never a bare `# type: ignore` (`ignore-without-code`)",
)
def test_bare_suppressions_are_findings(
    tmp_path: Path, mypy_checked: dict[str, list[str]]
) -> None:
    assert ruff_codes(tmp_path, "x = 1  # noqa\n", "PGH004") == ["PGH004"]
    assert mypy_checked["tooling_bare_ignore.py"] == [
        "tooling_bare_ignore.py:3: [ignore-without-code]"
    ]


@pytest.mark.claim(
    TOOLING, "the `deprecated` error code (off by default, on in this configuration)"
)
def test_the_deprecated_error_code_is_off_by_default() -> None:
    from mypy.errorcodes import DEPRECATED

    assert DEPRECATED.default_enabled is False
    config = (CONFIGS / "mypy.ini").read_text()
    assert re.search(r"enable_error_code = .*deprecated", config)


@pytest.mark.claim(
    TOOLING,
    "uv run fastapi dev                 # reload on change, http://127.0.0.1:8000/docs",
)
@pytest.mark.claim(
    TOOLING, "uv run fastapi run --workers 4     # production: 0.0.0.0:8000, no reload"
)
def test_the_cli_defaults() -> None:
    from fastapi_cli import cli

    dev = inspect.signature(cli.dev).parameters
    run = inspect.signature(cli.run).parameters
    assert (dev["host"].default, dev["port"].default, dev["reload"].default) == (
        "127.0.0.1",
        8000,
        True,
    )
    assert (run["host"].default, run["port"].default, run["reload"].default) == (
        "0.0.0.0",  # noqa: S104 - the default the probe checks
        8000,
        False,
    )
