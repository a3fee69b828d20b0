"""Issue G: each real-world layout and dependency format is scored as the tools see it.

Every fixture under ``tests/fixtures/realworld/`` is shaped like a public FastAPI project
(``production-template``: zhanymkanov's fastapi_production_template, ``src/`` as a package;
``full-stack-backend``: the backend of fastapi/full-stack-fastapi-template, ``app/``
package and Poetry; ``nano``: rednafi/fastapi-nano, one ``svc/`` package and PEP 621 with
requirements locks) or built to show one layout. Each test scores a copy and asserts that
the scorer's counts equal the same tool run by hand (``tests/scoring/direct.py``) with the
same configuration, computed here.
"""

import shutil
from pathlib import Path

import pytest

from harness.scoring.checks.typecheck import mypy_config
from harness.scoring.results import ProjectScore
from tests.scoring import direct
from tests.scoring.conftest import FIXTURES, Scorer

REALWORLD = FIXTURES / "realworld"
ACCEPTANCE = REALWORLD / "acceptance"
#: The harness's kept pytest options for projects that set asyncio_mode (nothing else).
ASYNC_INI = "[pytest]\nasyncio_mode = auto\n"


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("direct-mypy-cache")


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(REALWORLD / name, target)
    return target


def codes(score: ProjectScore, check: str) -> dict[str, int]:
    figures = score.check(check).figures
    return {
        key.removeprefix("code:"): int(value)
        for key, value in figures.items()
        if key.startswith("code:")
    }


# -- 1, 3, 4, 9, 10: src/ as a package (the seed skill's own layout) ---------------------


@pytest.mark.slow
def test_src_package_is_checked_imported_and_served_as_a_package(
    score: Scorer, tmp_path: Path, mypy_cache: Path
) -> None:
    project = copy("production-template", tmp_path)
    result = score(
        project,
        checks=["ruff", "mypy", "own_tests", "acceptance", "dependencies"],
        acceptance=ACCEPTANCE,
    )
    assert result.layout is not None
    assert (result.layout.kind, result.layout.import_roots) == ("src-package", ["."])
    # 3: the entry point keeps its package, so relative imports load.
    assert result.entrypoint == "src.main:app (fallback)"
    assert result.check("acceptance").status == "pass"
    # 1: mypy maps src/x.py to src.x only; it checks everything and finds nothing.
    by_hand = direct.mypy(project, mypy_config("3.12"), project, mypy_cache)
    assert by_hand.returncode == 0, by_hand.output
    mypy = result.check("mypy")
    assert (mypy.status, mypy.score, mypy.figures["errors"]) == ("pass", 1.0, 0)
    assert mypy.figures["mypy_path"] == "/work"
    # 4: src/email/ does not hide the standard library's email package.
    tests = direct.pytest(project, [project], ASYNC_INI)
    own = result.check("own_tests")
    assert (tests.passed, tests.failed, tests.errors) == (4, 0, 0), tests.output
    assert (own.status, own.figures["passed"], own.figures["failed"]) == ("pass", 4, 0)
    assert own.figures["project_options_ignored"] == "addopts"
    # The harness's ruff rules, not the project's ruff.toml (9), counted as by hand.
    assert codes(result, "ruff") == dict(direct.ruff(project))
    assert result.check("ruff").figures["project_config_ignored"] == (
        "ruff.toml, pyproject.toml [tool.ruff] (line-length, select, target-version)"
    )
    # 5: requirements/*.txt are read when pyproject.toml declares nothing.
    declared = [
        "fastapi>=0.100", "pydantic-settings>=2.0", "uvicorn[standard]>=0.30",
        "asyncpg==0.29.0", "pytest>=8", "httpx>=0.27", "ruff",
    ]  # fmt: skip
    deps = result.check("dependencies")
    assert deps.figures["declared"] == len(declared)
    assert deps.figures["outside_environment"] == direct.installed(declared).count(
        False
    )
    assert deps.figures["sources"] == "requirements/base.txt, requirements/dev.txt"


def test_planted_type_error_in_the_src_package_twin_is_reported(
    score: Scorer, tmp_path: Path, mypy_cache: Path
) -> None:
    # 10: the held-out twin with one planted `operator` error.
    project = copy("production-template", tmp_path)
    service = project / "src/auth/service.py"
    service.write_text(
        service.read_text()
        + '\n\ndef headline(count: int) -> str:\n    """For people."""\n'
        '    total = "total: " + count\n'
        "    return str(total)\n"
    )
    result = score(project, checks=["mypy"])
    by_hand = direct.mypy(project, mypy_config("3.12"), project, mypy_cache)
    assert by_hand.codes == {"operator": 1}
    mypy = result.check("mypy")
    assert [(f.code, f.path) for f in mypy.findings] == [
        ("operator", "src/auth/service.py")
    ]
    assert mypy.status == "fail"


# -- 2: mypy's exit status 2 ----------------------------------------------------------------


def test_mypy_stopping_is_an_error_with_its_reason(
    score: Scorer, tmp_path: Path, mypy_cache: Path
) -> None:
    project = copy("flat", tmp_path)
    (project / "models.py").write_text("def broken(:\n    pass\n")
    by_hand = direct.mypy(project, mypy_config("3.12"), project, mypy_cache)
    assert by_hand.returncode == 2
    mypy = score(project, checks=["mypy"]).check("mypy")
    assert (mypy.status, mypy.score) == ("error", 0.0)
    assert mypy.reason is not None
    said = mypy.reason.removeprefix("mypy stopped before checking the project: ")
    assert said.startswith("models.py: ")
    assert said.removeprefix("models.py: ") in by_hand.output


# -- 5, 8: Poetry, and a missing package charged once ------------------------------------


def test_poetry_project_with_missing_packages_is_charged_once(
    score: Scorer, tmp_path: Path, mypy_cache: Path
) -> None:
    project = copy("full-stack-backend", tmp_path)
    result = score(
        project, checks=["ruff", "mypy", "own_tests", "dependencies"], acceptance=None
    )
    # The Poetry tables, as PEP 508 (caret: the next major, or minor below 1.0).
    declared = [
        "uvicorn[standard]>=0.24.0.post1,<0.25", "fastapi>=0.109.1,<0.110",
        "python-multipart>=0.0.7,<0.0.8", "email-validator>=2.1.0.post1,<3",
        "passlib[bcrypt]>=1.7.4,<2", "tenacity>=8.2.3,<9", "pydantic>2.0",
        "emails>=0.6,<0.7", "gunicorn>=21.2.0,<22", "jinja2>=3.1.2,<4",
        "alembic>=1.12.1,<2", "python-jose[cryptography]>=3.3.0,<4",
        "httpx>=0.25.1,<0.26", "sqlmodel>=0.0.16,<0.0.17", "pydantic-settings>=2.2.1,<3",
        "pytest>=7.4.3,<8", "mypy>=1.8.0,<2", "ruff>=0.2.2,<0.3",
    ]  # fmt: skip
    deps = result.check("dependencies")
    assert deps.figures["declared"] == len(declared)
    assert deps.figures["outside_environment"] == direct.installed(declared).count(
        False
    )
    assert deps.figures["missing_modules"] == "emails, jose, passlib, sqlmodel"
    # mypy: the missing modules are ignored (no import-not-found) and the real errors show.
    importers = (
        "app.core.security",
        "app.crud",
        "app.models",
        "app.tests.conftest",
        "app.utils",
    )
    config = mypy_config("3.12", ("emails", "jose", "passlib", "sqlmodel"), importers)
    by_hand = direct.mypy(project, config, project, mypy_cache)
    assert "import-not-found" not in by_hand.codes
    assert codes(result, "mypy") == dict(by_hand.codes)
    # The two planted errors, and one left-over of the missing base class: mypy checks
    # `class User(UserBase, table=True)` against object when SQLModel is unknown.
    assert by_hand.codes == {"return-value": 1, "no-untyped-def": 1, "call-arg": 1}
    # own tests: pytest cannot load the conftest by hand either; the cause is named, and
    # the check stays out of the overall score (dependencies charges the package).
    tests = direct.pytest(project, [project])
    assert "No module named 'sqlmodel'" in tests.output
    own = result.check("own_tests")
    assert (own.status, own.charged_to) == ("error", "dependencies")
    assert own.reason is not None
    assert "sqlmodel" in own.reason
    counted = [
        c for c in result.checks if c.status != "skipped" and c.charged_to is None
    ]
    total = sum(result.weights[c.name] for c in counted)
    assert result.overall == pytest.approx(
        sum(result.weights[c.name] * c.score for c in counted) / total, abs=1e-4
    )


# -- 6: extras; uv and PDM groups; the src layout ------------------------------------------


def test_src_layout_groups_and_extras(
    score: Scorer, tmp_path: Path, mypy_cache: Path
) -> None:
    project = copy("src-layout", tmp_path)
    result = score(
        project,
        checks=["ruff", "mypy", "own_tests", "acceptance", "dependencies"],
        acceptance=ACCEPTANCE,
    )
    assert result.layout is not None
    assert result.layout.kind == "src"
    assert result.entrypoint == "shop.main:app (pyproject)"
    assert result.check("acceptance").status == "pass"
    declared = [
        "fastapi[standard]>=0.110", "sqlalchemy[asyncio]>=2.0", "pwdlib[argon2,bcrypt]>=0.2",
        "pydantic-settings>=2", "pytest>=8", "httpx>=0.27", "ruff", "mypy", "mkdocs>=1.5",
    ]  # fmt: skip
    deps = result.check("dependencies")
    assert deps.figures["declared"] == len(declared)
    assert deps.figures["outside_environment"] == direct.installed(declared).count(
        False
    )
    [extra] = [f for f in deps.findings if f.code == "extra-missing"]
    assert extra.message.startswith("pwdlib[bcrypt] needs bcrypt")
    by_hand = direct.mypy(project, mypy_config("3.12"), project / "src", mypy_cache)
    assert codes(result, "mypy") == dict(by_hand.codes) == {"return-value": 1}
    tests = direct.pytest(project, [project / "src", project])
    own = result.check("own_tests")
    assert (own.figures["passed"], own.figures["failed"]) == (
        tests.passed,
        tests.failed,
    )
    assert codes(result, "ruff") == dict(direct.ruff(project))


# -- 7: requires-python newer than the environment -------------------------------------------


def test_newer_python_is_reported_once_and_not_charged(
    score: Scorer, tmp_path: Path, mypy_cache: Path
) -> None:
    project = copy("py314", tmp_path)
    result = score(project, checks=["ruff", "mypy", "dependencies"])
    ruff = result.check("ruff")
    assert codes(result, "ruff") == dict(direct.ruff(project, "py314")) == {}
    assert ruff.figures["target_version"] == "3.14"
    by_hand = direct.mypy(project, mypy_config("3.14"), project, mypy_cache)
    assert by_hand.returncode == 0, by_hand.output
    assert result.check("mypy").status == "pass"
    deps = result.check("dependencies")
    [mismatch] = [f for f in deps.findings if f.code == "requires-python"]
    assert mismatch.severity == "warning"
    assert "requires Python >=3.14" in mismatch.message
    assert deps.score == 1.0
    said = [f for c in result.checks for f in c.findings if "3.14" in f.message]
    assert said == [mismatch]


# -- 9: every kind of own configuration file is reported ------------------------------------


def test_own_tool_configuration_files_are_reported_never_obeyed(
    score: Scorer, tmp_path: Path, mypy_cache: Path
) -> None:
    project = copy("multi-package", tmp_path)
    result = score(
        project,
        checks=["ruff", "mypy", "own_tests", "acceptance"],
        acceptance=ACCEPTANCE,
    )
    assert result.layout is not None
    assert (result.layout.kind, result.layout.packages) == (
        "packages",
        ["api", "core", "db"],
    )
    assert result.entrypoint == "main:app (fallback)"
    assert result.check("acceptance").status == "pass"
    assert result.check("ruff").figures["project_config_ignored"] == ".ruff.toml"
    assert result.check("mypy").figures["project_config_ignored"] == (
        "mypy.ini, setup.cfg [mypy]"
    )
    own = result.check("own_tests")
    # tox.ini's [pytest] is the file pytest reads here; its filterwarnings is dropped.
    assert own.figures["project_options_ignored"] == "filterwarnings"
    assert own.figures["deprecation_warnings"] == 1
    ruff_by_hand = direct.ruff(project)
    assert codes(result, "ruff") == dict(ruff_by_hand)
    assert ruff_by_hand["ANN201"] == 1  # what .ruff.toml would have ignored
    by_hand = direct.mypy(project, mypy_config("3.12"), project, mypy_cache)
    assert codes(result, "mypy") == dict(by_hand.codes) == {"no-untyped-def": 1}


# -- flat and single-package layouts ----------------------------------------------------------


@pytest.mark.slow
def test_flat_project_with_requirements_only(
    score: Scorer, tmp_path: Path, mypy_cache: Path
) -> None:
    project = copy("flat", tmp_path)
    result = score(
        project,
        checks=["mypy", "own_tests", "acceptance", "dependencies"],
        acceptance=ACCEPTANCE,
    )
    assert result.layout is not None
    assert result.layout.kind == "flat"
    assert result.entrypoint == "main:app (fallback)"
    assert result.check("acceptance").status == "pass"
    declared = [
        "fastapi>=0.100",
        "pydantic>=2",
        "pytest",
        "httpx",
        "requests-oauthlib>=1.3",
    ]
    deps = result.check("dependencies")
    assert deps.figures["declared"] == len(declared)
    assert deps.figures["outside_environment"] == direct.installed(declared).count(
        False
    )
    by_hand = direct.mypy(project, mypy_config("3.12"), project, mypy_cache)
    assert codes(result, "mypy") == dict(by_hand.codes) == {"no-untyped-def": 1}
    tests = direct.pytest(project, [project])
    own = result.check("own_tests")
    assert (own.figures["passed"], own.figures["failed"]) == (
        tests.passed,
        tests.failed,
    )


@pytest.mark.slow
def test_single_package_with_pep621_and_requirement_locks(
    score: Scorer, tmp_path: Path, mypy_cache: Path
) -> None:
    project = copy("nano", tmp_path)
    result = score(
        project,
        checks=["ruff", "mypy", "own_tests", "acceptance", "dependencies"],
        acceptance=ACCEPTANCE,
    )
    assert result.layout is not None
    assert (result.layout.kind, result.layout.packages) == ("package", ["svc"])
    assert result.entrypoint == "svc.main:app (fallback)"
    assert result.check("acceptance").status == "pass"
    # requirements*.txt are locks here: pyproject.toml declares the dependencies.
    declared = [
        "fastapi", "gunicorn", "python-multipart", "pyjwt", "uvicorn",
        "httpx", "mypy", "pytest", "pytest-cov", "ruff",
    ]  # fmt: skip
    deps = result.check("dependencies")
    assert deps.figures["declared"] == len(declared)
    assert deps.figures["outside_environment"] == direct.installed(declared).count(
        False
    )
    by_hand = direct.mypy(project, mypy_config("3.12"), project, mypy_cache)
    assert codes(result, "mypy") == dict(by_hand.codes)
    tests = direct.pytest(project, [project])
    own = result.check("own_tests")
    assert (tests.passed, tests.failed) == (2, 1), tests.output
    assert (own.figures["passed"], own.figures["failed"]) == (2, 1)
    assert codes(result, "ruff") == dict(direct.ruff(project))
