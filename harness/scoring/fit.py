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
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from harness.environment import EvaluationEnvironment
from harness.project import Project

#: Python minor versions the static tools can be told to target.
_TARGETS = tuple((3, minor) for minor in range(8, 15))


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
    """

    environment_python: str
    requires_python: str | None
    python_mismatch: str | None
    target: tuple[int, int]
    missing_modules: tuple[str, ...]

    @property
    def target_text(self) -> str:
        """The target as ``3.12``."""
        return f"{self.target[0]}.{self.target[1]}"


def _target(spec: SpecifierSet, current: Version) -> tuple[int, int]:
    allowed = [t for t in _TARGETS if spec.contains(Version(f"{t[0]}.{t[1]}.99"))]
    newer = [t for t in allowed if t > (current.major, current.minor)]
    if newer:
        return newer[0]
    return allowed[-1] if allowed else (current.major, current.minor)


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
    mismatch = None
    declared = project.requires_python
    if declared:
        try:
            spec = SpecifierSet(declared)
        except InvalidSpecifier:
            mismatch = f"requires-python {declared!r} is not a valid version specifier"
        else:
            if not spec.contains(current, prereleases=True):
                target = _target(spec, current)
                mismatch = (
                    f"the project requires Python {declared}; the evaluation environment has "
                    f"{python}: ruff and mypy check it as Python {target[0]}.{target[1]} "
                    "(not charged; its tests and app still run on the environment's Python)"
                )
    provided = (
        set(sys.stdlib_module_names)
        | environment.importable_names()
        | set(project.layout.own_names)
        | {"__future__"}
    )
    missing = tuple(sorted(name for name in project.imports if name not in provided))
    return EnvironmentFit(
        environment_python=python,
        requires_python=declared,
        python_mismatch=mismatch,
        target=target,
        missing_modules=missing,
    )
