"""The run's configuration: flags over ``[tool.harness]`` defaults, as one pydantic model.

Every ``harness eval`` option may have a project default in ``pyproject.toml``::

    [tool.harness]
    model = "anthropic:claude-haiku-4-5"
    variants = ["none", "skill=path:skill/python-fastapi-developer"]
    tasks = ["full"]
    epochs = 3
    max_concurrency = 8

A flag given on the command line wins over the default; a default of an unknown name is
an error naming the key, so a typo never silently falls back.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from harness.errors import UsageError, first_error
from harness.solvers.base import SOLVERS, solver_from_legacy
from harness.variants import Delivery

#: Keys read as the ``solver`` they name (documented aliases of ``--solver``).
LEGACY_KEYS = frozenset({"mode", "agent"})


def default_slots() -> int:
    """Scoring slots by default: one per core."""
    return max(1, len(os.sched_getaffinity(0)))


class EvalConfig(BaseModel):
    """Everything ``harness eval`` needs to plan and run.

    Attributes:
        model: The model spec.
        variants: ``[LABEL=]SPEC[@DELIVERY]`` each; the first ``none`` is the baseline.
        tasks: Suite names (``smoke``, ``full``) or task ids.
        epochs: Repetitions per task and arm.
        solver: Who writes each project: ``oneshot``, ``loop``, ``claude-code`` or
            ``codex`` (the old ``mode`` and ``agent`` keys are read as the solver they
            name together).
        delivery: Delivery of a skill variant that does not fix its own (default: the
            solver's own: ``inline``, or ``on-demand`` for a coding agent).
        baseline: The arm compared against (default: the first ``none``, else the first).
        max_concurrency: Samples generating at once (and model calls in flight).
        score_slots: Samples scoring at once.
        results_dir: Where runs are stored.
        run_id: The run's id (default: made from the time and the model).
        seed: Seed of the model calls (passed on), sim draws and the bootstrap.
        temperature: Sampling temperature.
        max_tokens: Output tokens per reply.
        params: Extra request parameters.
        max_cost_usd: Dollar budget per sample.
        base_url: API base URL.
        cache: Use the response cache.
        score: Score samples as they are generated (``--no-score`` to skip).
        sim: ``ARM=P`` chances of the gold project for ``--model sim``.
        sim_empty: Chance of an empty reply for ``--model sim``.
        sandbox: ``bwrap`` or ``none``.
        checks: Checks to run (None: all).
    """

    model_config = ConfigDict(extra="forbid")

    model: str
    variants: list[str] = Field(default_factory=lambda: ["none"], min_length=1)
    tasks: list[str] = Field(default_factory=lambda: ["full"], min_length=1)
    epochs: int = Field(default=1, ge=1, le=1000)
    solver: str = "oneshot"
    delivery: Delivery | None = None
    baseline: str | None = None
    max_concurrency: int = Field(default=4, ge=1, le=512)
    score_slots: int = Field(default_factory=default_slots, ge=1, le=64)
    results_dir: Path = Path("results")
    run_id: str | None = None
    seed: int = 0
    temperature: float | None = Field(default=None, ge=0)
    max_tokens: int = Field(default=16_000, ge=1)
    params: dict[str, Any] = Field(default_factory=dict)
    max_cost_usd: float | None = Field(default=None, ge=0)
    base_url: str | None = None
    cache: bool = True
    score: bool = True
    sim: list[str] = Field(default_factory=list)
    sim_empty: float = Field(default=0.0, ge=0, le=1)
    sandbox: Literal["bwrap", "none"] = "bwrap"
    checks: list[str] | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy_solver(cls, data: object) -> object:
        """``mode`` and ``agent`` (flags and ``[tool.harness]`` keys) name a solver."""
        if isinstance(data, dict) and ("mode" in data or "agent" in data):
            data = dict(data)
            mode, agent = data.pop("mode", None), data.pop("agent", None)
            if "solver" not in data:
                data["solver"] = solver_from_legacy(mode, agent)
        return data

    @field_validator("solver")
    @classmethod
    def _known_solver(cls, name: str) -> str:
        if name not in SOLVERS:
            msg = f"unknown solver {name!r}: use one of {', '.join(SOLVERS)}"
            raise ValueError(msg)
        return name


def project_defaults(pyproject: Path | None = None) -> dict[str, Any]:
    """``[tool.harness]`` of ``pyproject.toml`` in the current folder (empty if none).

    Raises:
        UsageError: When the file is not valid TOML or the table holds an unknown key.
    """
    path = pyproject or Path("pyproject.toml")
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        msg = f"{path}: not valid TOML ({error})"
        raise UsageError(msg) from None
    table = data.get("tool", {}).get("harness", {})
    if not isinstance(table, dict):
        msg = f"{path}: [tool.harness] must be a table"
        raise UsageError(msg)
    unknown = sorted(set(table) - set(EvalConfig.model_fields) - LEGACY_KEYS)
    if unknown:
        msg = (
            f"{path}: [tool.harness] has unknown key(s) {', '.join(unknown)}: "
            f"use {', '.join(sorted(EvalConfig.model_fields))}"
        )
        raise UsageError(msg)
    return dict(table)


def build_config(
    flags: dict[str, Any], pyproject: Path | None = None, *, defaults: bool = True
) -> EvalConfig:
    """Merge flags (those not None) over the project's defaults.

    Args:
        flags: Option values; None means "not given".
        pyproject: Where ``[tool.harness]`` is read (default: ``./pyproject.toml``).
        defaults: Whether to read it at all (a library call passes everything itself).

    Raises:
        UsageError: When the result is not a valid configuration (one line).
    """
    merged = (project_defaults(pyproject) if defaults else {}) | {
        key: value for key, value in flags.items() if value is not None
    }
    if "model" not in merged:
        msg = (
            "no model: give --model (e.g. --model sim, --model reference) "
            "or set it in [tool.harness]"
        )
        raise UsageError(msg, option="model")
    try:
        return EvalConfig.model_validate(merged)
    except ValidationError as error:
        where, why = first_error(error)
        msg = f"invalid option {where}: {why}"
        raise UsageError(msg, option=where.split(".")[0]) from None


__all__ = ["EvalConfig", "build_config", "default_slots", "project_defaults"]
