"""harness.project: layouts, entry points, dependency formats and own configs, read statically."""

import codecs
import textwrap
from pathlib import Path

import pytest

from harness.project import content_hash, detect_layout, folder_hash, load_project
from harness.project.requirements import read_requirements


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"


@pytest.mark.parametrize(
    ("files", "kind", "roots", "packages", "entrypoint"),
    [
        ({"main.py": APP, "models.py": ""}, "flat", ["."], [], "main:app"),
        (
            {
                "src/shop/__init__.py": "",
                "src/shop/main.py": APP,
                "tests/test_x.py": "",
            },
            "src",
            ["src", "."],
            ["shop"],
            "shop.main:app",
        ),
        (
            {"src/__init__.py": "", "src/main.py": APP, "src/email/__init__.py": ""},
            "src-package",
            ["."],
            ["src"],
            "src.main:app",
        ),
        (
            {"app/__init__.py": "", "app/main.py": APP, "app/tests/test_a.py": ""},
            "package",
            ["."],
            ["app"],
            "app.main:app",
        ),
        (
            {"svc/__init__.py": "", "svc/main.py": APP, "tests/test_a.py": ""},
            "package",
            ["."],
            ["svc"],
            "svc.main:app",
        ),
        (
            {
                "main.py": APP,
                "api/__init__.py": "",
                "core/__init__.py": "",
                "alembic/env.py": "",
            },
            "packages",
            ["."],
            ["api", "core"],
            "main:app",
        ),
    ],
)
def test_layouts_and_their_entry_points(
    tmp_path: Path,
    files: dict[str, str],
    kind: str,
    roots: list[str],
    packages: list[str],
    entrypoint: str,
) -> None:
    project = load_project(write(tmp_path, files))
    assert project.layout.kind == kind
    assert project.layout.import_roots == roots
    assert project.layout.packages == packages
    assert (project.entrypoint, project.entrypoint_source) == (entrypoint, "fallback")


def test_module_names_follow_the_layout() -> None:
    src = detect_layout(["src/shop/__init__.py", "src/shop/main.py", "tests/test_a.py"])
    assert src.module_of("src/shop/main.py") == "shop.main"
    assert src.module_of("src/shop/__init__.py") == "shop"
    assert src.module_of("tests/test_a.py") == "tests.test_a"
    package = detect_layout(["src/__init__.py", "src/auth/service.py"])
    assert package.module_of("src/auth/service.py") == "src.auth.service"
    assert package.own_names == ["src"]


def test_poetry_pdm_uv_and_pep621_are_all_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": """
            [project]
            dependencies = ["fastapi>=0.110", "pwdlib[argon2,bcrypt]"]
            [project.optional-dependencies]
            server = ["uvicorn[standard]"]
            [dependency-groups]
            dev = ["pytest", {include-group = "lint"}]
            lint = ["ruff"]
            [tool.uv]
            dev-dependencies = ["mypy"]
            [tool.pdm.dev-dependencies]
            docs = ["mkdocs"]
            [tool.poetry.group.test.dependencies]
            coverage = "~7.4"
            """
        },
    )
    project = load_project(tmp_path)
    found = {r.name: r for r in project.requirements}
    assert list(found) == [
        "fastapi", "pwdlib", "uvicorn", "pytest", "ruff", "coverage", "mypy", "mkdocs",
    ]  # fmt: skip
    assert found["pwdlib"].extras == ("argon2", "bcrypt")
    assert found["coverage"].source == (
        "pyproject.toml [tool.poetry.group.test.dependencies]"
    )


def test_poetry_tables_alone_are_read_with_their_constraints(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": """
            [tool.poetry.dependencies]
            python = "^3.11"
            sqlmodel = "^0.0.16"
            passlib = {extras = ["bcrypt"], version = "^1.7.4"}
            httpx = "^0.25 || ^0.27"
            broken = "^^1"
            [tool.poetry.dev-dependencies]
            pytest = "^8"
            """
        },
    )
    project = load_project(tmp_path)
    found = {r.name: r for r in project.requirements}
    assert list(found) == ["sqlmodel", "passlib", "httpx", "broken", "pytest"]
    assert found["sqlmodel"].alternatives == ("<0.0.17,>=0.0.16",)
    assert found["passlib"].extras == ("bcrypt",)
    assert found["httpx"].alternatives == (">=0.25,<0.26", ">=0.27,<0.28")
    assert found["broken"].error is not None
    # [project] requires-python is absent: Poetry's python constraint is used.
    assert project.requires_python == ">=3.11,<4.0"


# Shaped like a Poetry 2 project after `poetry` migrated it to PEP 621: [project] lists
# the dependencies, [tool.poetry.dependencies] still lists the same ones (and one more).
MIGRATED = """
[project]
name = "svc"
dependencies = [
    "fastapi[standard] (>=0.115,<0.116)",
    "sqlalchemy[asyncio] (>=2.0,<3.0)",
    "asyncpg (>=0.30,<0.31)",
]
[project.optional-dependencies]
mysql = ["aiomysql>=0.2"]
[tool.poetry]
package-mode = false
[tool.poetry.dependencies]
python = "^3.12"
fastapi = {extras = ["standard"], version = "^0.115.8"}
sqlalchemy = "^2.0.36"
asyncpg = "^0.30"
celery = "^5.4"
[tool.poetry.group.dev.dependencies]
pytest = "^8.3"
[dependency-groups]
dev = ["pytest>=8", "ruff"]
"""


def test_project_and_poetry_together_follow_poetry_core(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": MIGRATED})
    found = {r.name: r for r in load_project(tmp_path).requirements}
    # Each dependency once: the [project] list; Poetry's own celery is ignored, as Poetry does.
    assert list(found) == [
        "fastapi",
        "sqlalchemy",
        "asyncpg",
        "aiomysql",
        "pytest",
        "ruff",
    ]
    # The Poetry entry narrows the [project] one of the same name, as poetry-core's
    # _enrich_dependency does; the [project] extras stay.
    assert found["fastapi"].alternatives == ("<0.116,>=0.115,<0.116.0,>=0.115.8",)
    assert found["fastapi"].extras == ("standard",)
    assert found["sqlalchemy"].alternatives == ("<3.0,>=2.0,<3.0.0,>=2.0.36",)
    assert found["pytest"].alternatives == (">=8,<9.0,>=8.3",)
    assert found["pytest"].source.startswith("pyproject.toml [dependency-groups] dev")
    assert found["aiomysql"].optional


def test_poetry_core_agrees_on_the_mixed_file(tmp_path: Path) -> None:
    from poetry.core.factory import Factory
    from poetry.core.packages.project_package import ProjectPackage

    write(tmp_path, {"pyproject.toml": MIGRATED})
    project = load_project(tmp_path)
    assert project.pyproject is not None
    package = ProjectPackage("svc", "0")
    Factory._configure_package_dependencies(  # poetry-core's own reading
        package=package,
        project=project.pyproject["project"],
        tool_poetry=project.pyproject["tool"]["poetry"],
        dependency_groups=project.pyproject["dependency-groups"],
    )
    by_poetry = sorted(
        dep.name
        for group in package._dependency_groups.values()
        for dep in group.dependencies_for_locking
    )
    assert by_poetry == sorted(r.name for r in project.requirements)


# `pip freeze > requirements.txt` in Windows PowerShell writes UTF-16 LE with a BOM and CRLF.
FROZEN = "fastapi==0.115.8\r\ntortoise-orm==0.24.0\r\nnewspaper3k==0.2.8\r\n"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + FROZEN.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + FROZEN.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + FROZEN.encode("utf-32-le"),
        codecs.BOM_UTF8 + FROZEN.encode(),
        ("# -*- coding: latin-1 -*-\n" + FROZEN).encode("latin-1"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-le", "utf-8-sig", "pep263"],
)
def test_requirements_files_are_decoded_as_pip_decodes_them(
    tmp_path: Path, data: bytes
) -> None:
    (tmp_path / "requirements.txt").write_bytes(data)
    found = load_project(tmp_path).requirements
    assert [(r.name, r.alternatives, r.error) for r in found] == [
        ("fastapi", ("==0.115.8",), None),
        ("tortoise-orm", ("==0.24.0",), None),
        ("newspaper3k", ("==0.2.8",), None),
    ]


def test_no_phantom_requirement_from_nul_bytes(tmp_path: Path) -> None:
    # UTF-16 without a BOM decodes as UTF-8 (as pip does): NULs between the letters.
    (tmp_path / "requirements.txt").write_bytes("fastapi\n\n".encode("utf-16-le"))
    assert [r.name for r in load_project(tmp_path).requirements] == ["fastapi"]


def test_requirements_files_only_when_pyproject_declares_nothing(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "requirements.txt": """
            # a comment
            fastapi>=0.100  # inline comment
            -r requirements/dev.txt
            --index-url https://example.invalid/simple
            httpx==0.27.0 \\
                --hash=sha256:abc
            ./local-package
            """,
            "requirements/dev.txt": "pytest\n",
        },
    )
    files = ["requirements.txt", "requirements/dev.txt"]
    texts = [r.text for r in read_requirements(tmp_path, files, None)]
    assert texts == ["fastapi>=0.100", "httpx==0.27.0", "pytest"]
    declared = {"project": {"dependencies": ["fastapi"]}}
    assert [r.text for r in read_requirements(tmp_path, files, declared)] == ["fastapi"]


def test_own_tool_configuration_is_found_in_every_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "[tool.ruff]\nline-length = 120\n",
            "ruff.toml": "",
            "sub/.ruff.toml": "",
            ".mypy.ini": "[mypy]\n",
            "setup.cfg": "[metadata]\nname = x\n[mypy]\nstrict = False\n",
            "tox.ini": "[tox]\n[pytest]\naddopts = -x\nasyncio_mode = auto\n",
            "main.py": "",
        },
    )
    project = load_project(tmp_path)
    assert project.ignored_configs("ruff") == [
        "ruff.toml",
        "sub/.ruff.toml",
        "pyproject.toml [tool.ruff] (line-length)",
    ]
    assert project.ignored_configs("mypy") == [".mypy.ini", "setup.cfg [mypy]"]
    assert project.ignored_configs("pytest") == ["tox.ini [pytest]"]
    # pytest's own order: tox.ini's [pytest] is what it would read here.
    assert project.pytest_options() == {"addopts": "-x", "asyncio_mode": "auto"}


def test_imports_are_collected_by_top_level_name(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/a.py": "import jose.jwt\nfrom sqlmodel import Field\nfrom . import b\n",
            "app/b.py": "import os, jose\n",
            "app/c.py": "try:\n    import ujson as json\nexcept ImportError:\n"
            "    import json\n",
        },
    )
    project = load_project(tmp_path)
    assert project.imports == {
        "jose": ["app/a.py", "app/b.py"],
        "json": ["app/c.py"],
        "os": ["app/b.py"],
        "sqlmodel": ["app/a.py"],
        "ujson": ["app/c.py"],
    }
    # A fallback is not a dependency (mypy still ignores it when nothing provides it).
    assert project.optional_imports == ["ujson"]


def test_one_content_hash_for_every_source(tmp_path: Path) -> None:
    write(tmp_path, {"b.txt": "2", "a/x.py": "1", "__pycache__/c.pyc": "junk"})
    from_disk = folder_hash(tmp_path)
    assert from_disk == content_hash([("a/x.py", b"1"), ("b.txt", b"2")])
    assert from_disk == content_hash([("b.txt", b"2"), ("a/x.py", b"1")])
    assert from_disk != content_hash([("a/x.py", b"1"), ("b.txt", b"3")])
