"""A project's layout, decided once from its files and used by every check.

Five shapes are recognised (``kind``):

* ``flat``: modules at the root (``main.py``), no package of code;
* ``src``: the ``src/`` layout, ``src/`` holding top-level packages (``src/app/main.py``
  imported as ``app.main``), without ``src/__init__.py``;
* ``src-package``: ``src/`` is itself a package (``src/__init__.py``, imports written
  ``from src.auth import ...``);
* ``package``: one package of code at the root (``app/``, ``svc/``);
* ``packages``: several packages of code at the root (``api/``, ``core/``, ``db/``).

The layout decides the import roots (``PYTHONPATH`` for the app, the tests and the
acceptance server; ``MYPYPATH`` and the module name of each file for mypy), the module of
each fallback entry point, and which top-level import names are the project's own. Only the
``src`` layout puts ``src/`` on the path: in every other shape the root alone is, so a
package such as ``src/email/`` can never hide the standard library's ``email``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

LayoutKind = Literal["flat", "src", "src-package", "package", "packages"]
#: Top-level folders that hold tests, migrations or tooling rather than the app's code.
AUXILIARY_DIRS = frozenset(
    {"tests", "test", "alembic", "migrations", "scripts", "docs", "examples"}
)
#: FastAPI CLI's discovery order, within each import root and then each package.
_APP_MODULES = ("main", "app", "api")


class ProjectLayout(BaseModel):
    """Where a project's code lives and how it is imported.

    Attributes:
        kind: The shape (see the module docstring).
        import_roots: Folders put on the import path, relative to the project, most
            specific first (``["src", "."]`` for a src layout, ``["."]`` otherwise).
        packages: Top-level packages of the app's code (tests, migrations and scripts
            left out), as imported.
        modules: Top-level modules of the app's code, as imported.
        own_names: Every top-level import name the project provides (code, tests,
            migrations, scripts), so that its imports are not mistaken for missing ones.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: LayoutKind
    import_roots: list[str]
    packages: list[str] = Field(default_factory=list)
    modules: list[str] = Field(default_factory=list)
    own_names: list[str] = Field(default_factory=list)

    def module_of(self, rel: str) -> str:
        """The dotted module name a Python file is imported as.

        Args:
            rel: The file's path relative to the project.

        Returns:
            ``src.main`` for ``src/main.py`` in a ``src-package`` layout, ``app.main`` for
            ``src/app/main.py`` in a ``src`` layout.
        """
        parts = PurePosixPath(rel).with_suffix("").parts
        for root in self.import_roots:
            root_parts = () if root == "." else PurePosixPath(root).parts
            if parts[: len(root_parts)] == root_parts:
                parts = parts[len(root_parts) :]
                break
        if parts and parts[-1] == "__init__":
            parts = parts[:-1]
        return ".".join(parts)

    def paths(self, base: PurePosixPath) -> list[PurePosixPath]:
        """The import roots as absolute paths under ``base`` (the project's folder)."""
        return [base if root == "." else base / root for root in self.import_roots]

    def entrypoint_candidates(self) -> list[str]:
        """Files FastAPI CLI's discovery would try, in order, for this layout."""
        found: list[str] = []
        # The project's root first (where ``fastapi dev`` looks), then ``src/``; the app's
        # packages live in the first import root.
        for root in sorted(self.import_roots, key=lambda r: r != "."):
            prefix = "" if root == "." else f"{root}/"
            found += [f"{prefix}{name}.py" for name in _APP_MODULES]
            if root == self.import_roots[0]:
                for package in sorted(self.packages, key=lambda p: (p != "app", p)):
                    found += [f"{prefix}{package}/{name}.py" for name in _APP_MODULES]
        return list(dict.fromkeys(found))

    def describe(self) -> str:
        """One line for people: the shape and what is imported how."""
        roots = ", ".join(
            f"{root}/" if root != "." else "the root" for root in self.import_roots
        )
        names = ", ".join(self.packages) or ", ".join(self.modules) or "no code"
        return f"{self.kind} (imports from {roots}; code: {names})"


def _top_level(files: Iterable[str], root: str) -> tuple[set[str], set[str], set[str]]:
    """Packages (folders with ``__init__.py``), namespace folders and modules under ``root``."""
    packages: set[str] = set()
    folders: set[str] = set()
    modules: set[str] = set()
    prefix = () if root == "." else PurePosixPath(root).parts
    for rel in files:
        parts = PurePosixPath(rel).parts
        if parts[: len(prefix)] != prefix:
            continue
        inner = parts[len(prefix) :]
        if len(inner) == 1:
            modules.add(PurePosixPath(inner[0]).stem)
        elif inner[1:] == ("__init__.py",):
            packages.add(inner[0])
        else:
            folders.add(inner[0])
    return packages, folders, modules


def held_names(python_files: Iterable[str]) -> set[str]:
    """Top-level names the project provides from folders that run with them on the path.

    Besides the import roots, a folder of Python files that is no package is put on the
    path when they run (pytest inserts a test's folder; a script's folder is its first
    path entry), and so, by the tools that run such a folder's files from above it, is
    its parent (alembic's ``prepend_sys_path = .`` beside ``migrations/env.py``). Every
    module and folder directly inside one of these is the project's: a test imports the
    module beside it by its file name, ``src/migrations/env.py`` imports ``app`` from
    ``src/app``. A module deep inside a package (``app/models/tortoise.py``) never hides
    a missing ``tortoise``: nothing puts ``app/models`` on the path.
    """
    paths = [PurePosixPath(rel) for rel in python_files]
    packages = {path.parent for path in paths if path.name == "__init__.py"}
    plain = {path.parent for path in paths} - packages
    entries = plain | {folder.parent for folder in plain if folder.parts}
    names: set[str] = set()
    for path in paths:
        for entry in entries:
            if entry.parts and path.parts[: len(entry.parts)] != entry.parts:
                continue
            inner = path.parts[len(entry.parts) :]
            if inner:
                names.add(PurePosixPath(inner[0]).stem if len(inner) == 1 else inner[0])
    return {n for n in names if n.isidentifier()} - {"__init__", "__main__", "conftest"}


def detect_layout(python_files: list[str]) -> ProjectLayout:
    """Decide a project's layout from its Python files (relative paths).

    Args:
        python_files: Every Python file of the project.

    Returns:
        The layout every check, the entry point and the import paths use.
    """
    src_files = [rel for rel in python_files if rel.startswith("src/")]
    if src_files and "src/__init__.py" not in python_files:
        inner_packages, inner_folders, inner_modules = _top_level(python_files, "src")
        outer_packages, outer_folders, outer_modules = _top_level(python_files, ".")
        code = sorted(p for p in inner_packages | inner_folders if p.isidentifier())
        own = (inner_packages | inner_folders | inner_modules) | (
            (outer_packages | outer_folders | outer_modules) - {"src"}
        )
        return ProjectLayout(
            kind="src",
            import_roots=["src", "."],
            packages=code,
            modules=sorted(
                m for m in inner_modules if m.isidentifier() and m != "__init__"
            ),
            own_names=sorted(n for n in own if n.isidentifier()),
        )
    packages, folders, modules = _top_level(python_files, ".")
    code = sorted(
        p for p in packages | folders if p not in AUXILIARY_DIRS and p.isidentifier()
    )
    kind: LayoutKind
    if "src" in packages:
        kind = "src-package"
    elif not code:
        kind = "flat"
    else:
        kind = "package" if len(code) == 1 else "packages"
    own = packages | folders | modules
    return ProjectLayout(
        kind=kind,
        import_roots=["."],
        packages=code,
        modules=sorted(
            m for m in modules if m.isidentifier() and m not in {"conftest", "__init__"}
        ),
        own_names=sorted(n for n in own if n.isidentifier()),
    )
