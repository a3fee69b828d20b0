"""What the evaluation environment cannot give a project: its Python version, its packages.

Decided once per project and read by every check, so that each gap is charged once, where
it belongs (the ``dependencies`` check), and nowhere else:

* a ``requires-python`` that excludes the environment's interpreter is reported once by
  name, not charged; ruff and mypy check the code at the project's version;
* an imported top-level module that neither the standard library, the environment nor the
  project provides is *missing*: mypy treats it as missing-but-ignored, and a test module
  that cannot import it is reported with that cause instead of counted as a failure.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from harness.environment import EvaluationEnvironment
from harness.project import Project
from harness.project.layout import held_names
from harness.project.requirements import poetry_specifier
from harness.scoring.declared import DeclaredImports, declared_imports

#: Python minor versions the static tools can be told to target.
_TARGETS = tuple((3, minor) for minor in range(8, 15))
#: Patch releases tried per minor version: more than any minor has had.
_PATCHES = range(40)


@dataclass(frozen=True)
class EnvironmentFit:
    """How a project fits the evaluation environment.

    Attributes:
        environment_python: The environment's interpreter version (``3.12.1``).
        requires_python: The project's declared versions, if any.
        python_mismatch: One sentence naming the mismatch, or None when the project's
            declared versions include the environment's.
        target: The ``(major, minor)`` version ruff and mypy check the code for.
        missing_modules: Top-level modules the code imports that nothing provides.
        python_note: How a ``requires-python`` that is not PEP 440 was read, if it was.
        declared: The import names the declared dependencies provide.
        importable: The top-level names the environment and the standard library provide.
    """

    environment_python: str
    requires_python: str | None
    python_mismatch: str | None
    target: tuple[int, int]
    missing_modules: tuple[str, ...]
    python_note: str | None = None
    declared: DeclaredImports = field(
        default_factory=lambda: DeclaredImports(frozenset(), frozenset())
    )
    importable: frozenset[str] = frozenset()

    @property
    def target_text(self) -> str:
        """The target as ``3.12``."""
        return f"{self.target[0]}.{self.target[1]}"

    @property
    def unavailable_modules(self) -> frozenset[str]:
        """Modules a test may die for that ``dependencies`` charges.

        The missing imports, and the import names of declared distributions (and of the
        requested extras' distributions) the environment lacks, imported or not, but for
        names the environment does provide (``pytest`` is no name of a missing
        ``pytest-xdist``).
        """
        return (
            frozenset(self.missing_modules) | self.declared.unavailable
        ) - self.importable


def _specifiers(declared: str) -> tuple[list[SpecifierSet], str | None]:
    """The declared versions as PEP 440 alternatives, and how they were read if not PEP 440.

    Raises:
        InvalidSpecifier: When neither PEP 440 nor Poetry can read them.
    """
    try:
        return [SpecifierSet(alt) for alt in declared.split("||")], None
    except InvalidSpecifier:
        try:
            converted = poetry_specifier(declared)
        except ValueError:
            raise InvalidSpecifier(declared) from None
    note = (
        f"requires-python {declared!r} is not a PEP 440 specifier (pip and uv refuse "
        f"it); read as Poetry reads it: {converted or 'any version'}"
    )
    return [SpecifierSet(alt) for alt in converted.split("||")], note


def _lowest_target(specs: list[SpecifierSet]) -> tuple[int, int] | None:
    """The lowest minor version any known release of which the specifiers admit.

    ``==3.14.0`` admits 3.14, ``>=3.11,<3.13`` 3.11 (the version ruff infers from
    ``requires-python``: its lower bound).
    """
    for major, minor in _TARGETS:
        releases = [f"{major}.{minor}.{patch}" for patch in _PATCHES]
        if any(any(spec.filter(releases, prereleases=True)) for spec in specs):
            return (major, minor)
    return None


def assess(project: Project, environment: EvaluationEnvironment) -> EnvironmentFit:
    """Compare a project's declared Python and imports with the environment.

    Args:
        project: The project.
        environment: The evaluation environment (built).

    Returns:
        The fit, decided once for every check.
    """
    python = environment.python_version()
    current = Version(python)
    target = (current.major, current.minor)
    mismatch = note = None
    declared = project.requires_python
    if declared:
        try:
            specs, note = _specifiers(declared)
        except InvalidSpecifier:
            mismatch = f"requires-python {declared!r} is not a valid version specifier"
        else:
            if not any(spec.contains(current, prereleases=True) for spec in specs):
                target = _lowest_target(specs) or target
                mismatch = (
                    f"the project requires Python {declared}; the evaluation environment has "
                    f"{python}: ruff and mypy check it as Python {target[0]}.{target[1]} "
                    "(not charged; its tests and app still run on the environment's Python)"
                )
    importable = frozenset(sys.stdlib_module_names) | environment.importable_names()
    provided = (
        importable
        | set(project.layout.own_names)
        | held_names(project.python_files)
        | {"__future__"}
    )
    missing = tuple(sorted(name for name in project.imports if name not in provided))
    return EnvironmentFit(
        environment_python=python,
        requires_python=declared,
        python_mismatch=mismatch,
        target=target,
        missing_modules=missing,
        python_note=note,
        declared=declared_imports(project.requirements, environment, python),
        importable=importable,
    )
