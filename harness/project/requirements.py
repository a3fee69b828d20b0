"""A project's declared dependencies and Python version, in every common format.

Read, in this order: PEP 621 (``[project] dependencies`` and ``optional-dependencies``),
PEP 735 / uv / PDM dependency groups (``[dependency-groups]``, ``[tool.uv]
dev-dependencies``, ``[tool.pdm.dev-dependencies]``), Poetry (``[tool.poetry.dependencies]``,
``[tool.poetry.group.<name>.dependencies]``, ``[tool.poetry.dev-dependencies]``; caret and
tilde constraints converted by ``poetry-core``), and, when ``pyproject.toml`` declares
nothing, ``requirements*.txt`` and ``requirements/*.txt`` (decoded as pip decodes them).
Where ``[project]`` and ``[tool.poetry]`` both declare a group, poetry-core's rule decides:
the ``[project]`` list, which Poetry's entries only narrow.
"""

from __future__ import annotations

import codecs
import locale
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from harness.project.files import read_bytes_safely

#: pip's order (``pip._internal.req.req_file.BOMS``): UTF-32 before UTF-16, whose
#: little-endian BOM begins UTF-32's.
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_PEP263 = re.compile(rb"coding[:=]\s*([-\w.]+)")
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
        optional: Whether it is optional (``[project.optional-dependencies]``, Poetry's
            ``optional = true``), for poetry-core's rule on mixing the two tables.
    """

    name: str
    extras: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    marker: str | None = None
    source: str = "pyproject.toml"
    text: str = ""
    error: str | None = None
    optional: bool = False


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
        optional = isinstance(one, dict) and one.get("optional") is True
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
            found.append(
                replace(_from_pep508(pep508, source), text=text, optional=optional)
            )
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
                optional=optional,
            )
        )
    return found


def _strings(value: object) -> list[str]:
    return (
        [item for item in value if isinstance(item, str)]
        if isinstance(value, list)
        else []
    )


def _narrowed(
    declared: DeclaredRequirement, poetry: list[DeclaredRequirement]
) -> DeclaredRequirement:
    """A ``[project]`` entry narrowed by Poetry's entries of the same name.

    poetry-core's ``_enrich_dependency``: the constraints intersect, the extras and marker
    stay the ``[project]`` entry's.
    """
    same = [
        p
        for p in poetry
        if canonicalize_name(p.name) == canonicalize_name(declared.name) and not p.error
    ]
    if not same or declared.error:
        return declared
    alternatives = tuple(
        ",".join(part for part in (mine, theirs) if part)
        for mine in (declared.alternatives or ("",))
        for p in same
        for theirs in (p.alternatives or ("",))
    )
    return replace(
        declared,
        alternatives=tuple(alt for alt in alternatives if alt),
        source=f"{declared.source} (narrowed by {same[0].source.split(' ', 1)[-1]})",
    )


def _poetry_rule(
    declared: list[DeclaredRequirement],
    poetry: list[DeclaredRequirement],
    *,
    mixed_dynamic: bool = False,
) -> list[DeclaredRequirement]:
    """One dependency group as poetry-core reads it (``DependencyGroup.dependencies``).

    The ``[project]`` (or PEP 735) list when it has entries, each narrowed by Poetry's
    entries of the same name; Poetry's own list only when that list is empty ("legacy
    mode"). With ``dependencies`` dynamic in ``[project]``, Poetry's entries of the other
    kind (optional or not) are added, as poetry-core adds them.
    """
    if not declared:
        return poetry
    found = [_narrowed(one, poetry) for one in declared]
    if mixed_dynamic and poetry:
        if all(one.optional for one in declared):
            found += [one for one in poetry if not one.optional]
        elif not any(one.optional for one in declared):
            found += [one for one in poetry if one.optional]
    return found


def _poetry_table(table: dict[str, Any], where: str) -> list[DeclaredRequirement]:
    found: list[DeclaredRequirement] = []
    for name, constraint in table.items():
        if name.lower() != "python":
            found += _from_poetry(name, constraint, f"pyproject.toml {where}")
    return found


def _pyproject_requirements(pyproject: dict[str, Any]) -> list[DeclaredRequirement]:
    """Every table of ``pyproject.toml``, each group read by poetry-core's rule.

    Poetry reads ``[project]`` and ``[tool.poetry]`` together (poetry-core's
    ``Factory._configure_package_dependencies``): the ``[project]`` dependencies and
    optional dependencies are the main group, ``[dependency-groups]`` the other groups,
    and ``[tool.poetry.dependencies]``, ``[tool.poetry.group.<name>.dependencies]`` and
    ``[tool.poetry.dev-dependencies]`` only narrow them (or stand alone where they are
    the group's only list).
    """
    project = _table(pyproject, "project")
    main = [
        _from_pep508(r, "pyproject.toml [project] dependencies")
        for r in _strings(project.get("dependencies"))
    ]
    for group, items in _table(project, "optional-dependencies").items():
        where = f"pyproject.toml [project.optional-dependencies] {group}"
        main += [
            replace(_from_pep508(r, where), optional=True) for r in _strings(items)
        ]
    poetry = _table(pyproject, "tool", "poetry")
    dynamic = _strings(project.get("dynamic"))
    found = _poetry_rule(
        main,
        _poetry_table(_table(poetry, "dependencies"), "[tool.poetry.dependencies]"),
        mixed_dynamic=bool({"dependencies", "optional-dependencies"} & set(dynamic)),
    )
    groups: dict[str, tuple[list[DeclaredRequirement], list[DeclaredRequirement]]] = {}
    for group, items in _table(pyproject, "dependency-groups").items():
        where = f"pyproject.toml [dependency-groups] {group}"
        groups[str(canonicalize_name(group))] = (
            [_from_pep508(r, where) for r in _strings(items)],
            [],
        )
    for group, body in _table(poetry, "group").items():
        where = f"[tool.poetry.group.{group}.dependencies]"
        groups.setdefault(str(canonicalize_name(group)), ([], []))[1].extend(
            _poetry_table(_table(body, "dependencies"), where)
        )
    groups.setdefault("dev", ([], []))[1].extend(
        _poetry_table(
            _table(poetry, "dev-dependencies"), "[tool.poetry.dev-dependencies]"
        )
    )
    for declared, narrowing in groups.values():
        found += _poetry_rule(declared, narrowing)
    found += [
        _from_pep508(r, "pyproject.toml [tool.uv] dev-dependencies")
        for r in _strings(_table(pyproject, "tool", "uv").get("dev-dependencies"))
    ]
    for group, items in _table(pyproject, "tool", "pdm", "dev-dependencies").items():
        where = f"pyproject.toml [tool.pdm.dev-dependencies] {group}"
        found += [_from_pep508(r, where) for r in _strings(items)]
    return found


def decode_requirements(data: bytes) -> str:
    """A requirements file's text, decoded as pip decodes it (``_decode_req_file``).

    A byte-order mark first (UTF-8, UTF-32, UTF-16: Windows editors and PowerShell's
    ``pip freeze >`` write UTF-16), then a PEP 263 ``coding:`` comment on one of the first
    two lines, then UTF-8, then the locale's encoding. Undecodable bytes are replaced
    where pip would stop, so one bad byte costs one requirement, not the file.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    for line in data.split(b"\n")[:2]:
        if line[:1] == b"#" and (found := _PEP263.search(line)):
            try:
                return data.decode(found.group(1).decode("ascii"), "replace")
            except LookupError:
                break
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        fallback = locale.getencoding() or "utf-8"
        try:
            return data.decode(fallback, "replace")
        except LookupError:
            return data.decode("utf-8", "replace")


def _requirements_lines(text: str) -> list[str]:
    joined = re.sub(r"\\\r?\n", " ", text)
    lines: list[str] = []
    for raw in joined.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw.replace("\x00", "")).strip()
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
            text = decode_requirements(read_bytes_safely(root, rel) or b"")
            found += [_from_pep508(line, rel) for line in _requirements_lines(text)]
    unique: dict[tuple[str, str], DeclaredRequirement] = {}
    for requirement in found:
        unique.setdefault(
            (requirement.text, requirement.source.split(" ")[0]), requirement
        )
    return list(unique.values())


def poetry_specifier(constraint: str) -> str:
    """A Poetry version constraint as PEP 440, the way poetry-core writes it in metadata.

    ``^3.11`` -> ``>=3.11,<4.0``, ``3.11.7`` -> ``==3.11.7``, ``*`` -> ``""``; disjoint
    alternatives stay joined by ``||`` (``>=3.8,<3.9 || >=3.10,<3.11``).

    Raises:
        ValueError: When Poetry cannot read the constraint either.
    """
    from poetry.core.packages.dependency import Dependency

    try:
        pep508 = Dependency("python", constraint).to_pep_508()
    except (ValueError, RuntimeError) as error:
        raise ValueError(str(error)) from error
    match = re.search(r"\((.*)\)", pep508)
    return match.group(1).strip() if match else ""


def requires_python(pyproject: dict[str, Any] | None) -> str | None:
    """The declared Python versions: ``[project] requires-python`` as written, else Poetry's.

    Poetry's ``python`` constraint (used only when ``[project]`` declares none, as
    poetry-core does) is converted to PEP 440 by :func:`poetry_specifier`.
    """
    declared = _table(pyproject, "project").get("requires-python")
    if isinstance(declared, str) and declared.strip():
        return declared.strip()
    poetry = _table(pyproject, "tool", "poetry", "dependencies").get("python")
    if isinstance(poetry, str) and poetry.strip():
        try:
            converted = poetry_specifier(poetry.strip())
        except ValueError:
            return poetry.strip()
        return converted or None
    return None
