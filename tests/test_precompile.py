"""Where Python caches no bytecode, the environment's build precompiles the harness's own
packages once, so every later command starts without compiling them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _package(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    (folder / "pkg").mkdir(parents=True)
    (folder / "pkg" / "__init__.py").write_text("VALUE = 1\n")
    return folder


def _precompile(folder: Path, env: dict[str, str]) -> None:
    code = (
        "from pathlib import Path\n"
        "from harness.environment import precompile_own_packages\n"
        f"precompile_own_packages(Path({str(folder)!r}))\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def test_packages_are_precompiled_when_python_caches_no_bytecode(
    tmp_path: Path,
) -> None:
    folder = _package(tmp_path)
    _precompile(folder, {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert list((folder / "pkg" / "__pycache__").glob("__init__.*.pyc"))


def test_nothing_is_done_where_python_caches_bytecode_itself(tmp_path: Path) -> None:
    folder = _package(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # Python's own cache goes elsewhere: only a precompilation would write beside pkg.
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "python-cache")
    _precompile(folder, env)
    assert not (folder / "pkg" / "__pycache__").exists()
    assert not list((tmp_path / "python-cache").rglob("pkg/__init__.*.pyc"))
