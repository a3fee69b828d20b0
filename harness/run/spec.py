"""What one sample is: a task, an arm (variant x delivery x solver), a model, an epoch.

An *arm* is one condition of a run, named by its label: a variant (``none`` or a skill), how
the skill reaches the model (its delivery), and who writes the project (the solver:
``oneshot``, ``loop``, ``claude-code``, ``codex``). One run may hold several arms of one
variant, e.g. the skill ``inline`` and ``on-demand``: the ablation of a skill loaded
natively against the same text pasted into the prompt.

A :class:`SampleSpec` names one sample completely (it is all a worker needs to know who
the sample is); within a run, ``(task, arm, epoch)`` is unique, so those three name its
files. Version 1 specs (``mode`` and ``agent``) are read as the solver they meant.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from harness.compat import solver_named
from harness.variants import SEGMENT

_SEGMENT_RE = re.compile(SEGMENT)

DeliveryName = Literal["none", "inline", "on-demand"]


def is_segment(text: str) -> bool:
    """Whether ``text`` is safe as one path segment of the run layout."""
    return bool(_SEGMENT_RE.fullmatch(text)) and text not in {".", ".."}


def _solver_of_v1(data: object) -> object:
    """A version 1 arm or spec (``mode``, ``agent``) with the ``solver`` they meant."""
    if (
        isinstance(data, dict)
        and "solver" not in data
        and ("agent" in data or "mode" in data)
    ):
        data = dict(data)
        mode, agent = data.pop("mode", None), data.pop("agent", None)
        data["solver"] = solver_named(mode or "agent", agent) or f"{mode}/{agent}"
    return data


class Arm(BaseModel):
    """One condition under test.

    Attributes:
        label: Its name in files and reports (unique in a run).
        variant_spec: The variant (``none``, ``path:DIR``, ``git:REV:DIR``, ``pkg:...``).
        delivery: ``none`` for the baseline, else ``inline`` or ``on-demand``.
        solver: Who writes the project (``oneshot``, ``loop``, ``claude-code``,
            ``codex``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = Field(pattern=f"^{SEGMENT}$")
    variant_spec: str
    delivery: DeliveryName
    solver: str = "oneshot"

    _v1 = model_validator(mode="before")(_solver_of_v1)


class SampleSpec(BaseModel):
    """One sample, named completely.

    Attributes:
        task: The task id.
        arm: The arm's label.
        variant_spec: The arm's variant.
        delivery: The arm's delivery.
        solver: The arm's solver.
        model: The model spec (``anthropic:...``, ``reference``, ``sim``...).
        epoch: The repetition (0-based).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str = Field(pattern=f"^{SEGMENT}$")
    arm: str = Field(pattern=f"^{SEGMENT}$")
    variant_spec: str
    delivery: DeliveryName
    solver: str = "oneshot"
    model: str
    epoch: int = Field(ge=0)

    _v1 = model_validator(mode="before")(_solver_of_v1)

    @classmethod
    def of(cls, task: str, arm: Arm, *, model: str, epoch: int) -> SampleSpec:
        """The spec of ``task`` under ``arm``."""
        return cls(
            task=task,
            arm=arm.label,
            variant_spec=arm.variant_spec,
            delivery=arm.delivery,
            solver=arm.solver,
            model=model,
            epoch=epoch,
        )

    @property
    def key(self) -> tuple[str, str, int]:
        """``(task, arm, epoch)``: unique within a run."""
        return (self.task, self.arm, self.epoch)

    def describe(self) -> str:
        """``task / arm / epoch N`` for messages."""
        return f"{self.task} / {self.arm} / epoch {self.epoch}"


__all__ = ["Arm", "DeliveryName", "SampleSpec", "is_segment"]
