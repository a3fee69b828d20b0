"""Issue G2: what scoring real public FastAPI repositories showed the scorer got wrong.

Each fixture is built here in the shape of the real case (small, never the repository's
code): a distribution whose import name differs, an import through a declared extra, the
project's own names imported from a nested folder, a test dying for a declared package a
library loads by URL, one test folder that cannot import, and a ``requires-python`` that
only an exact or Poetry-style specifier states.
"""

import codecs
import textwrap
from pathlib import Path

import pytest

from harness.environment import EvaluationEnvironment
from harness.project import load_project
from harness.report.terminal_tables import _figures
from harness.scoring.context import tail
from harness.scoring.fit import assess
from tests.scoring.conftest import Scorer

APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip())
    return root


def codes(score: Scorer, root: Path) -> list[tuple[str, str]]:
    deps = score(root, checks=["dependencies"], acceptance=None).check("dependencies")
    return sorted((f.code, f.message.split(" ")[0]) for f in deps.findings)


# -- 1, 4: a distribution named unlike its import, in a UTF-16 requirements file ---------


@pytest.mark.slow
def test_a_distribution_named_unlike_its_import_is_charged_once(
    score: Scorer, tmp_path: Path
) -> None:
    frozen = "fastapi>=0.115\r\ntortoise-orm==0.24.0\r\nnewspaper3k==0.2.8\r\n"
    root = write(
        tmp_path / "svc",
        {
            # Windows PowerShell's `pip freeze > requirements.txt`: UTF-16 LE, a BOM.
            "requirements.txt": codecs.BOM_UTF16_LE + frozen.encode("utf-16-le"),
            "app/__init__.py": "",
            "app/main.py": APP,
            "app/models.py": "from tortoise import fields\n\nNAME = fields.TextField\n",
            "app/summary.py": "import newspaper\n\nARTICLE = newspaper.Article\n",
        },
    )
    assert codes(score, root) == [
        ("not-in-environment", "newspaper3k"),
        ("not-in-environment", "tortoise-orm"),
    ]


# -- 2: an import provided through a declared extra ---------------------------------------


@pytest.mark.slow
def test_an_import_through_a_declared_extra_is_declared(
    score: Scorer, tmp_path: Path
) -> None:
    root = write(
        tmp_path / "svc",
        {
            "pyproject.toml": """
            [tool.poetry.dependencies]
            python = "^3.12"
            fastapi = "*"
            passlib = {version = "^1.7", extras = ["bcrypt"]}
            pwdlib = {version = ">=0.2", extras = ["bcrypt"]}
            """,
            "app/__init__.py": "",
            "app/main.py": APP,
            "app/security.py": "import bcrypt\nfrom passlib.context import CryptContext\n",
        },
    )
    # passlib is missing (its extra with it); pwdlib is installed, its bcrypt extra is
    # not: both are charged where they are declared, and `import bcrypt` is not again.
    assert codes(score, root) == [
        ("extra-missing", "pwdlib[bcrypt]"),
        ("not-in-environment", "passlib"),
    ]


# -- 5: the project's own names, imported from a nested folder ---------------------------


def test_names_the_project_holds_anywhere_are_its_own(
    environment: EvaluationEnvironment, tmp_path: Path
) -> None:
    root = write(
        tmp_path / "svc",
        {
            "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi"]\n',
            "src/__init__.py": "",
            "src/app/__init__.py": "",
            "src/app/main.py": APP,
            "src/app/core/__init__.py": "",
            "src/app/core/config.py": "DATABASE_URL = 'sqlite://'\n",
            # alembic runs env.py with src/ on the path (prepend_sys_path = .).
            "src/migrations/env.py": "from app.core.config import DATABASE_URL\n",
            # pytest puts a test folder without __init__.py on the path.
            "tests/helpers.py": "def one() -> int:\n    return 1\n",
            "tests/test_helpers.py": "import helpers\n\n\ndef test_one() -> None:\n"
            "    assert helpers.one() == 1\n",
            # A module inside a package is no path entry: it hides no missing package.
            "src/app/models/__init__.py": "",
            "src/app/models/tortoise.py": "from tortoise import fields\n",
        },
    )
    project = load_project(root)
    assert project.layout.kind == "src-package"
    assert {"app", "helpers", "tortoise"} <= set(project.imports)
    assert assess(project, environment).missing_modules == ("tortoise",)


# -- 6: a test dies for a declared package a library loads by URL -------------------------


@pytest.mark.slow
def test_a_test_dying_for_a_declared_package_loaded_by_url_is_charged_once(
    score: Scorer, tmp_path: Path
) -> None:
    root = write(
        tmp_path / "svc",
        {
            "pyproject.toml": """
            [tool.poetry.dependencies]
            python = "^3.12"
            fastapi = "*"
            sqlalchemy = {extras = ["asyncio"], version = "^2.0"}
            aiomysql = "^0.2.0"
            """,
            "app/__init__.py": "",
            "app/main.py": APP,
            # No `import aiomysql` anywhere: SQLAlchemy loads the driver named in the URL.
            "app/db.py": "from sqlalchemy.ext.asyncio import create_async_engine\n\n"
            "engine = create_async_engine('mysql+aiomysql://u:p@db/app')\n",
            "tests/__init__.py": "",
            "tests/test_db.py": "from app.db import engine\n\n\ndef test_engine() -> None:\n"
            "    assert engine.dialect.name == 'mysql'\n",
        },
    )
    result = score(root, checks=["own_tests", "dependencies"], acceptance=None)
    deps, own = result.check("dependencies"), result.check("own_tests")
    assert [f.code for f in deps.findings] == ["not-in-environment"]
    assert (own.status, own.charged_to) == ("error", "dependencies")
    assert own.reason is not None
    assert "aiomysql" in own.reason


# -- 7: one test folder that cannot import stops no other ---------------------------------

TESTS_OK = """
def test_one() -> None:
    assert 1 + 1 == 2


def test_two() -> None:
    assert "a" * 2 == "aa"
"""


@pytest.mark.slow
@pytest.mark.parametrize("missing", [True, False], ids=["missing-package", "broken"])
def test_one_test_folder_that_cannot_import_stops_no_other(
    score: Scorer, tmp_path: Path, *, missing: bool
) -> None:
    broken = "import redis\n" if missing else "raise RuntimeError('settings')\n"
    root = write(
        tmp_path / "svc",
        {
            "pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi"]\n',
            "app/__init__.py": "",
            "app/main.py": APP,
            "tests/unit/test_ok.py": TESTS_OK,
            "tests/integration/test_cache.py": broken
            + "\n\ndef test_cache() -> None:\n    assert True\n",
        },
    )
    own = score(root, checks=["own_tests"], acceptance=None).check("own_tests")
    assert own.figures["passed"] == 2
    if missing:
        # The module that imports the missing package is left out (dependencies
        # charges it); the rest pass.
        assert (own.status, own.score, own.charged_to) == ("pass", 1.0, None)
        assert own.figures["not_importable"] == 1
    else:
        # As pytest counts it: 2 passed, 1 error.
        assert (own.status, own.score) == ("fail", round(2 / 3, 4))
        assert own.figures["collection_errors"] == 1
        assert own.reason is not None
        assert own.reason.startswith("2/3 tests passed")


# -- 8: the Python target from any specifier ----------------------------------------------


@pytest.mark.parametrize(
    ("pyproject", "target", "note"),
    [
        ('[project]\nname = "a"\nrequires-python = "==3.14.0"\n', (3, 14), False),
        ('[project]\nname = "a"\nrequires-python = "==3.14.*"\n', (3, 14), False),
        ('[project]\nname = "a"\nrequires-python = ">=3.9,<3.12"\n', (3, 9), False),
        ('[project]\nname = "a"\nrequires-python = "^3.13"\n', (3, 13), True),
        ('[tool.poetry.dependencies]\npython = "3.11.7"\n', (3, 11), False),
        ('[tool.poetry.dependencies]\npython = "^3.13"\n', (3, 13), False),
    ],
    ids=["exact", "wildcard", "range", "caret-pep621", "poetry-exact", "poetry-caret"],
)
def test_the_python_target_comes_from_any_specifier(
    environment: EvaluationEnvironment,
    tmp_path: Path,
    pyproject: str,
    target: tuple[int, int],
    *,
    note: bool,
) -> None:
    root = write(tmp_path / "svc", {"pyproject.toml": pyproject, "main.py": APP})
    fit = assess(load_project(root), environment)
    assert fit.target == target
    assert fit.python_mismatch is not None
    assert "not a valid version specifier" not in fit.python_mismatch
    assert f"as Python {target[0]}.{target[1]}" in fit.python_mismatch
    assert (fit.python_note is not None) is note
    if note:
        assert fit.python_note == (
            "requires-python '^3.13' is not a PEP 440 specifier (pip and uv refuse it); "
            "read as Poetry reads it: >=3.13,<4.0"
        )


@pytest.mark.slow
def test_code_for_python_3_14_is_checked_as_3_14(score: Scorer, tmp_path: Path) -> None:
    root = write(
        tmp_path / "svc",
        {
            "pyproject.toml": '[project]\nname = "a"\nrequires-python = "==3.14.0"\n'
            'dependencies = ["fastapi"]\n',
            "main.py": APP,
            # Annotations are deferred in 3.14 (PEP 649): a later class is fine.
            "shapes.py": '"""Shapes."""\n\n\ndef grow(box: Box) -> Box:\n'
            '    """Grow."""\n    return box\n\n\nclass Box:\n    """A box."""\n',
        },
    )
    ruff = score(root, checks=["ruff"], acceptance=None).check("ruff")
    assert ruff.figures["target_version"] == "3.14"
    assert "code:F821" not in ruff.figures


# -- 9: output a person reads -------------------------------------------------------------


def test_a_reason_quotes_no_traceback_marker_lines() -> None:
    stderr = (
        '  File "/work/tests/conftest.py", line 3, in <module>\n'
        "    engine = create_engine(URL)\n"
        "             ^^^^^^^^^^^^^^^^^^\n"
        "E   ModuleNotFoundError: No module named 'aiomysql'\n"
    )
    assert tail(stderr, 2) == (
        "engine = create_engine(URL) | E   ModuleNotFoundError: No module named 'aiomysql'"
    )


@pytest.mark.slow
def test_key_figures_print_requires_python_readably(
    score: Scorer, tmp_path: Path
) -> None:
    root = write(
        tmp_path / "svc",
        {
            "pyproject.toml": '[project]\nname = "a"\nrequires-python = "==3.14.*"\n'
            'dependencies = ["fastapi"]\n',
            "main.py": APP,
        },
    )
    deps = score(root, checks=["dependencies"], acceptance=None).check("dependencies")
    shown = _figures(deps)
    assert "requires-python ==3.14.* (environment 3.12" in shown
    assert "===" not in shown


# -- a large real project: ruff's report passes the default output cap ---------------------


@pytest.mark.slow
def test_a_large_ruff_report_is_read_whole(score: Scorer, tmp_path: Path) -> None:
    lines = "".join(f"print({n})\n" for n in range(3000))  # one T201 a line
    root = write(
        tmp_path / "svc",
        {
            "main.py": APP,
            "app/__init__.py": "",
            "app/noisy.py": '"""Noisy."""\n' + lines,
        },
    )
    ruff = score(root, checks=["ruff"], acceptance=None).check("ruff")
    assert ruff.status == "fail", ruff.reason
    assert ruff.figures["code:T201"] == 3000
