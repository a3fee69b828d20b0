"""The probe catalogue: ``evals/probes.toml``, the skill rules and gotchas tasks can probe.

A task lists in ``task.toml`` the probes it exercises (``probes = ["lazy-loading-async"]``)
so that a report can show a skill's effect per rule; a task with no probes is a rule-neutral
control. Every id a task names must be declared here::

    [probes.timezone-aware-timestamps]
    summary = "Timestamps are timezone-aware UTC and serialised with an offset."
    skill = "SKILL.md#gotchas"                  # where the skill teaches it
    conformance = "timezone-aware-timestamps"   # the conformance rule that checks it, if any

``harness schema export`` writes the JSON Schema of :class:`ProbeCatalog` to
``docs/schemas/probes.schema.json``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from harness.errors import HarnessError, first_error

#: A probe id: lower-case words joined by dashes.
PROBE_ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class ProbeError(HarnessError):
    """``probes.toml`` is not valid; the message names the file, the problem, the fix."""


class Probe(BaseModel):
    """One skill rule or gotcha that tasks can probe.

    Attributes:
        summary: What a correct project does, in one sentence.
        skill: Where the skill teaches it: a file of the skill folder with an optional
            heading anchor (``SKILL.md#gotchas``, ``references/database.md``).
        conformance: The conformance rule id that checks it statically, if any.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    summary: str = Field(min_length=1, max_length=300)
    skill: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_./-]+\.md(#[a-z0-9-]+)?$")
    conformance: str | None = Field(default=None, pattern=PROBE_ID_PATTERN)


class ProbeCatalog(BaseModel):
    """``evals/probes.toml``: every probe id tasks may name.

    Attributes:
        probes: The probes, by id.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    probes: dict[str, Probe] = Field(default_factory=dict)

    @field_validator("probes")
    @classmethod
    def _ids(cls, value: dict[str, Probe]) -> dict[str, Probe]:
        bad = [name for name in value if not re.fullmatch(PROBE_ID_PATTERN, name)]
        if bad:
            msg = f"probe id {bad[0]!r} must be lower-case words joined by dashes"
            raise ValueError(msg)
        return value

    @property
    def ids(self) -> frozenset[str]:
        """Every declared probe id."""
        return frozenset(self.probes)


def probes_path(tasks_root: Path) -> Path:
    """``probes.toml`` beside the tasks folder (``evals/probes.toml``)."""
    return tasks_root.parent / "probes.toml"


def load_probes(path: Path) -> ProbeCatalog:
    """Read and validate a probe catalogue; a missing file is an empty catalogue.

    Raises:
        ProbeError: One line naming the file and the problem.
    """
    if not path.is_file():
        return ProbeCatalog()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        msg = f"{path}: not valid TOML ({error}): fix the syntax"
        raise ProbeError(msg) from None
    try:
        return ProbeCatalog.model_validate(data)
    except ValidationError as error:
        location, why = first_error(error, top="(top level)")
        msg = (
            f"{path}: {location}: {why}: fix the entry (format: docs/writing-tasks.md)"
        )
        raise ProbeError(msg) from None
