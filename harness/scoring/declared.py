"""What a project's declared dependencies provide: import names, and which of them are missing.

A declared distribution the evaluation environment holds provides what its metadata says
(:meth:`~harness.environment.EvaluationEnvironment.top_level_names`); one it lacks provides
the names :mod:`harness.project.distributions` derives, the same on every machine. A
requested extra provides its requirements' names: resolved through the environment's
metadata when the distribution is installed (``pwdlib[bcrypt]`` needs ``bcrypt``), else
through the extra's own name (``passlib[bcrypt]``), by the same conventions.

The names of whatever the environment lacks are *unavailable*: a test that dies on
``No module named 'aiomysql'`` died for a declared package the ``dependencies`` check
already charges, even when no file imports it (SQLAlchemy loads ``mysql+aiomysql://``).
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from harness.environment import EvaluationEnvironment
from harness.project import DeclaredRequirement
from harness.project.distributions import import_names


def marker_environment(python: str) -> dict[str, str]:
    """The marker variables that depend on the environment's Python (``3.12.1``)."""
    try:
        version = Version(python)
    except InvalidVersion:
        return {"extra": ""}
    return {
        "python_version": f"{version.major}.{version.minor}",
        "python_full_version": python,
        "extra": "",
    }


def extra_requirements(
    environment: EvaluationEnvironment, name: str, extra: str, python: str
) -> list[Requirement] | None:
    """What an installed distribution's extra adds, from its metadata.

    Args:
        environment: The evaluation environment.
        name: The distribution.
        extra: The extra.
        python: The environment's Python version, for markers.

    Returns:
        The extra's requirements, or None when the environment lacks the distribution
        or the distribution has no such extra.
    """
    distribution = environment.distribution(name)
    if distribution is None:
        return None
    provided = {
        canonicalize_name(e)
        for e in distribution.metadata.get_all("Provides-Extra") or []
    }
    if canonicalize_name(extra) not in provided:
        return None
    base = marker_environment(python)
    found: list[Requirement] = []
    for line in distribution.requires or []:
        try:
            needed = Requirement(line)
        except InvalidRequirement:
            continue
        marker = needed.marker or Marker("extra == '__none__'")
        if marker.evaluate(base | {"extra": extra}) and not marker.evaluate(base):
            found.append(needed)
    return found


@dataclass(frozen=True)
class DeclaredImports:
    """Import names the declared dependencies provide.

    Attributes:
        names: Every top-level name a declared distribution or requested extra provides.
        unavailable: Those of them whose distribution the environment lacks.
    """

    names: frozenset[str]
    unavailable: frozenset[str]

    def provides(self, module: str) -> bool:
        """Whether a declared dependency provides the top-level module ``module``."""
        return module in self.names or module.lower() in self.names


def declared_imports(
    requirements: list[DeclaredRequirement],
    environment: EvaluationEnvironment,
    python: str,
) -> DeclaredImports:
    """The import names a project's declared dependencies provide, and which are missing.

    Args:
        requirements: The declarations (unreadable ones are skipped).
        environment: The evaluation environment.
        python: Its Python version, for the markers of extras.
    """
    installed = environment.top_level_names()
    names: set[str] = set()
    unavailable: set[str] = set()

    def add(distribution: str) -> None:
        held = installed.get(str(canonicalize_name(distribution)))
        if held is None:
            held = import_names(distribution)
            unavailable.update(held)
        names.update(held)

    for requirement in requirements:
        if requirement.error is not None:
            continue
        add(requirement.name)
        for extra in requirement.extras:
            needed = extra_requirements(environment, requirement.name, extra, python)
            if needed is not None:
                for one in needed:
                    add(one.name)
            elif str(canonicalize_name(requirement.name)) not in installed:
                add(extra)
    return DeclaredImports(frozenset(names), frozenset(unavailable))


__all__ = [
    "DeclaredImports",
    "declared_imports",
    "extra_requirements",
    "marker_environment",
]
