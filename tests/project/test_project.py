"""harness.project: layouts, entry points, dependency formats and own configs, read statically."""

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
            [tool.poetry.dependencies]
            python = "^3.11"
            sqlmodel = "^0.0.16"
            passlib = {extras = ["bcrypt"], version = "^1.7.4"}
            httpx = "^0.25 || ^0.27"
            broken = "^^1"
            [tool.poetry.group.test.dependencies]
            coverage = "~7.4"
            """
        },
    )
    project = load_project(tmp_path)
    found = {r.name: r for r in project.requirements}
    assert list(found) == [
        "fastapi", "pwdlib", "uvicorn", "pytest", "ruff", "mypy", "mkdocs",
        "sqlmodel", "passlib", "httpx", "broken", "coverage",
    ]  # fmt: skip
    assert found["pwdlib"].extras == ("argon2", "bcrypt")
    assert found["sqlmodel"].alternatives == ("<0.0.17,>=0.0.16",)
    assert found["passlib"].extras == ("bcrypt",)
    assert found["httpx"].alternatives == (">=0.25,<0.26", ">=0.27,<0.28")
    assert found["coverage"].source == (
        "pyproject.toml [tool.poetry.group.test.dependencies]"
    )
    assert found["broken"].error is not None
    # [project] requires-python is absent: Poetry's python constraint is used.
    assert project.requires_python == ">=3.11,<4.0"


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
