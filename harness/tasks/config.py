"""The task format: ``evals/tasks/<id>/task.toml`` as pydantic models (schema version 1).

A task folder holds::

    task.toml        TaskConfig (below)
    prompt.md        the product request the model is given (the shared contract is appended)
    acceptance/      hidden pytest tests run against the app over HTTP (+ services/*.py fakes)
    reference/       the gold project: must score 1.0 on every check
    starter/         optional existing code copied into the workspace first
    mutants/*.patch  known-bad variants of the reference (unified diffs, a/ b/ prefixes)

``harness schema export`` writes the JSON Schema of :class:`TaskConfig` to
``docs/schemas/task.schema.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from harness.sandbox import SandboxRequest
from harness.scoring.context import AcceptanceSpec, ServiceSpec

#: Version of ``task.toml``; bump on any incompatible change.
TASK_SCHEMA_VERSION = 1
#: A task id: lower-case letters, digits and dashes; equal to its folder's name.
TASK_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class Limits(BaseModel):
    """Generation budgets for one sample of this task (used by ``harness eval``).

    Attributes:
        time_seconds: Wall-clock budget of the whole generation.
        turns: Maximum agent turns (model replies) in ``agent`` mode.
        tokens: Maximum total tokens (input and output) spent on the sample.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    time_seconds: int = Field(default=900, gt=0, le=86_400)
    turns: int = Field(default=40, gt=0, le=1_000)
    tokens: int = Field(default=200_000, gt=0)


class AcceptanceConfig(BaseModel):
    """How the hidden tests in ``acceptance/`` run: maps 1:1 onto ``AcceptanceSpec``.

    Attributes:
        setup: Commands run in the app's sandbox before it starts (migrations...).
        env: Variables given to the app (fake service URLs, settings).
        startup_seconds: How long the app may take to accept connections.
        test_timeout_seconds: Per-test timeout.
        services: Fake upstream services served beside the app; ``file`` is relative
            to ``acceptance/``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    setup: list[list[str]] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    startup_seconds: float = Field(default=30.0, gt=0, le=600)
    test_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    services: list[ServiceSpec] = Field(default_factory=list)

    @field_validator("setup")
    @classmethod
    def _commands_not_empty(cls, value: list[list[str]]) -> list[list[str]]:
        if any(not command for command in value):
            msg = "every setup command needs at least a program"
            raise ValueError(msg)
        return value

    @field_validator("env")
    @classmethod
    def _sandbox_accepts(cls, value: dict[str, str]) -> dict[str, str]:
        try:
            SandboxRequest(argv=["true"], workspace=Path(), env=value)
        except ValidationError as error:
            raise ValueError(
                error.errors()[0]["msg"].removeprefix("Value error, ")
            ) from None
        return value

    def to_spec(self, tests_dir: Path) -> AcceptanceSpec:
        """The scorer's ``AcceptanceSpec`` for these tests."""
        return AcceptanceSpec(
            tests_dir=tests_dir,
            setup=self.setup,
            services=list(self.services),
            env=dict(self.env),
            startup_seconds=self.startup_seconds,
            test_timeout_seconds=self.test_timeout_seconds,
        )


class StarterConfig(BaseModel):
    """An existing codebase copied into the workspace before generation.

    Attributes:
        path: The starter folder, relative to the task folder.
        passing_tests: Acceptance test ids (``test_x.py::test_y``) that the starter alone
            legitimately passes; every other test must fail on it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = "starter"
    passing_tests: list[str] = Field(default_factory=list)

    @field_validator("path")
    @classmethod
    def _relative(cls, value: str) -> str:
        if Path(value).is_absolute() or ".." in Path(value).parts:
            msg = "must be a folder inside the task folder, such as 'starter'"
            raise ValueError(msg)
        return value


class TaskConfig(BaseModel):
    """``task.toml``: a task's metadata, budgets and how its acceptance tests run.

    Attributes:
        schema_version: Version of this format (1).
        id: The task id, equal to the folder's name.
        title: One line for tables and reports.
        tags: What the task exercises (``crud``, ``auth``, ``pagination``...).
        difficulty: 1 (easy) to 5 (hard).
        limits: Generation budgets.
        acceptance: How the hidden tests run.
        starter: The starter codebase, for tasks that extend or fix one.
        kind: ``greenfield`` (from nothing), ``extend`` (add to a starter) or ``fix``
            (repair a starter's reported bugs).
        probes: Ids of the skill rules or gotchas the task probes (listed in
            ``evals/probes.toml``); empty for a rule-neutral control task. When the
            validation context carries ``{"probes": <known ids>, "probes_file": <path>}``
            (as :func:`harness.tasks.read_config` passes it), every id must be known.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    id: str = Field(pattern=TASK_ID_PATTERN, max_length=64)
    title: str = Field(min_length=1, max_length=120)
    tags: list[str] = Field(default_factory=list)
    difficulty: int = Field(ge=1, le=5)
    limits: Limits = Field(default_factory=Limits)
    acceptance: AcceptanceConfig = Field(default_factory=AcceptanceConfig)
    starter: StarterConfig | None = None
    kind: Literal["greenfield", "extend", "fix"] = "greenfield"
    probes: list[str] = Field(default_factory=list)

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        for tag in value:
            if not tag or tag != tag.strip().lower():
                msg = f"tag {tag!r} must be non-empty lower-case text"
                raise ValueError(msg)
        return value

    @field_validator("probes")
    @classmethod
    def _known_probes(cls, value: list[str], info: ValidationInfo) -> list[str]:
        duplicated = sorted({probe for probe in value if value.count(probe) > 1})
        if duplicated:
            msg = f"probe {duplicated[0]!r} is listed twice"
            raise ValueError(msg)
        context = info.context if isinstance(info.context, dict) else {}
        known = context.get("probes")
        if known is None:
            return value
        unknown = [probe for probe in value if probe not in known]
        if unknown:
            where = context.get("probes_file", "evals/probes.toml")
            msg = (
                f"unknown probe {unknown[0]!r}: declare it as [probes.{unknown[0]}] "
                f"in {where} or fix the id"
            )
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _kind_matches_starter(self) -> TaskConfig:
        if self.kind in {"extend", "fix"} and self.starter is None:
            msg = (
                f"kind {self.kind!r} needs a starter: add a [starter] table "
                "(path = 'starter') and the starter folder"
            )
            raise ValueError(msg)
        if self.kind == "greenfield" and self.starter is not None:
            msg = (
                "kind 'greenfield' has a [starter]: set kind = 'extend' or 'fix', "
                "or remove the starter"
            )
            raise ValueError(msg)
        return self
