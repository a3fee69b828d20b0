"""A project's declared dependencies and Python version, in every common format.

Read, in this order: PEP 621 (``[project] dependencies`` and ``optional-dependencies``),
PEP 735 / uv / PDM dependency groups (``[dependency-groups]``, ``[tool.uv]
dev-dependencies``, ``[tool.pdm.dev-dependencies]``), Poetry (``[tool.poetry.dependencies]``,
``[tool.poetry.group.<name>.dependencies]``, ``[tool.poetry.dev-dependencies]``; caret and
tilde constraints converted by ``poetry-core``), and, when ``pyproject.toml`` declares
nothing, ``requirements*.txt`` and ``requirements/*.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from harness.project.files import read_bytes_safely

_REQUIREMENTS_FILE = re.compile(r"^(?:requirements[^/]*\.txt|requirements/[^/]+\.txt)$")
_PEP508_WITH_ALTERNATIVES = re.compile(
    r"^(?P<head>[^(;]+?)\s*\((?P<spec>[^)]*)\)\s*(?P<marker>;.*)?$"
)


@dataclass(frozen=True)
class DeclaredRequirement:
    """One declared dependency.

    Attributes:
        name: The distribution's name, as written.
        extras: Extras asked for (``pwdlib[argon2,bcrypt]``).
        alternatives: PEP 440 specifier sets, any of which will do (Poetry's ``||``);
            empty for any version.
        marker: The environment marker, if any.
        source: Where it was declared (``pyproject.toml [tool.poetry.dependencies]``).
        text: The declaration as written, for messages.
        error: Why it could not be read, if it could not.
    """

    name: str
    extras: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    marker: str | None = None
    source: str = "pyproject.toml"
    text: str = ""
    error: str | None = None


def _table(data: object, *keys: str) -> dict[str, Any]:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _from_pep508(text: str, source: str) -> DeclaredRequirement:
    try:
        parsed = Requirement(text)
    except InvalidRequirement as error:
        name = re.split(r"[\s\[<>=!~;@(]", text.strip(), maxsplit=1)[0] or text
        return DeclaredRequirement(
            name=name, source=source, text=text, error=str(error)
        )
    return DeclaredRequirement(
        name=parsed.name,
        extras=tuple(sorted(parsed.extras)),
        alternatives=(str(parsed.specifier),) if parsed.specifier else (),
        marker=str(parsed.marker) if parsed.marker else None,
        source=source,
        text=text,
    )


def _from_poetry(
    name: str, constraint: object, source: str
) -> list[DeclaredRequirement]:
    from poetry.core.factory import (
        Factory,  # imported here: only Poetry projects need it
    )

    constraints = constraint if isinstance(constraint, list) else [constraint]
    found: list[DeclaredRequirement] = []
    for one in constraints:
        text = f"{name} = {one!r}"
        try:
            pep508 = Factory.create_dependency(name, one).to_pep_508()  # type: ignore[arg-type]
        except Exception as error:  # noqa: BLE001 - any unreadable entry is the project's
            found.append(
                DeclaredRequirement(
                    name=name, source=source, text=text, error=str(error)
                )
            )
            continue
        match = _PEP508_WITH_ALTERNATIVES.match(pep508)
        if match is None or "||" not in match["spec"]:
            found.append(replace(_from_pep508(pep508, source), text=text))
            continue
        head = _from_pep508(f"{match['head']}{match['marker'] or ''}", source)
        found.append(
            DeclaredRequirement(
                name=head.name,
                extras=head.extras,
                alternatives=tuple(alt.strip() for alt in match["spec"].split("||")),
                marker=head.marker,
                source=source,
                text=text,
                error=head.error,
            )
        )
    return found


def _strings(value: object) -> list[str]:
    return (
        [item for item in value if isinstance(item, str)]
        if isinstance(value, list)
        else []
    )


def _pyproject_requirements(pyproject: dict[str, Any]) -> list[DeclaredRequirement]:
    found: list[DeclaredRequirement] = []
    project = _table(pyproject, "project")
    found += [
        _from_pep508(r, "pyproject.toml [project] dependencies")
        for r in _strings(project.get("dependencies"))
    ]
    for group, items in _table(project, "optional-dependencies").items():
        where = f"pyproject.toml [project.optional-dependencies] {group}"
        found += [_from_pep508(r, where) for r in _strings(items)]
    for group, items in _table(pyproject, "dependency-groups").items():
        where = f"pyproject.toml [dependency-groups] {group}"
        found += [_from_pep508(r, where) for r in _strings(items)]
    found += [
        _from_pep508(r, "pyproject.toml [tool.uv] dev-dependencies")
        for r in _strings(_table(pyproject, "tool", "uv").get("dev-dependencies"))
    ]
    for group, items in _table(pyproject, "tool", "pdm", "dev-dependencies").items():
        where = f"pyproject.toml [tool.pdm.dev-dependencies] {group}"
        found += [_from_pep508(r, where) for r in _strings(items)]
    poetry = _table(pyproject, "tool", "poetry")
    tables = [("[tool.poetry.dependencies]", _table(poetry, "dependencies"))]
    tables.append(
        ("[tool.poetry.dev-dependencies]", _table(poetry, "dev-dependencies"))
    )
    for group, body in _table(poetry, "group").items():
        tables.append(
            (f"[tool.poetry.group.{group}.dependencies]", _table(body, "dependencies"))
        )
    for where, table in tables:
        for name, constraint in table.items():
            if name.lower() != "python":
                found += _from_poetry(name, constraint, f"pyproject.toml {where}")
    return found


def _requirements_lines(text: str) -> list[str]:
    joined = re.sub(r"\\\r?\n", " ", text)
    lines: list[str] = []
    for raw in joined.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        line = re.split(r"\s--?[a-z]", f" {line}", maxsplit=1)[0].strip()
        if not line or line.startswith(("-", ".", "/", "http:", "https:", "git+")):
            continue
        lines.append(line)
    return lines


def requirements_files(files: list[str]) -> list[str]:
    """The project's ``requirements*.txt`` and ``requirements/*.txt`` files."""
    return [rel for rel in files if _REQUIREMENTS_FILE.match(rel)]


def read_requirements(
    root: Path, files: list[str], pyproject: dict[str, Any] | None
) -> list[DeclaredRequirement]:
    """Every dependency the project declares, in file order, without exact duplicates.

    Args:
        root: The project folder.
        files: Its files (relative).
        pyproject: ``pyproject.toml`` parsed, if it could be.

    Returns:
        The declarations; requirements files are read only when pyproject.toml declares
        nothing (they are then the project's declaration; otherwise they are locks).
    """
    found = _pyproject_requirements(pyproject or {})
    if not found:
        for rel in requirements_files(files):
            text = (read_bytes_safely(root, rel) or b"").decode("utf-8", "replace")
            found += [_from_pep508(line, rel) for line in _requirements_lines(text)]
    unique: dict[tuple[str, str], DeclaredRequirement] = {}
    for requirement in found:
        unique.setdefault(
            (requirement.text, requirement.source.split(" ")[0]), requirement
        )
    return list(unique.values())


def requires_python(pyproject: dict[str, Any] | None) -> str | None:
    """The declared Python versions: ``[project] requires-python``, else Poetry's ``python``."""
    declared = _table(pyproject, "project").get("requires-python")
    if isinstance(declared, str) and declared.strip():
        return declared.strip()
    poetry = _table(pyproject, "tool", "poetry", "dependencies").get("python")
    if isinstance(poetry, str) and poetry.strip():
        from poetry.core.constraints.version import parse_constraint

        try:
            converted = str(parse_constraint(poetry))
        except (ValueError, RuntimeError):
            return None
        return None if converted == "*" else converted
    return None
