"""What one sample is: a task, an arm (variant x delivery x agent), a model, a mode, an epoch.

An *arm* is one condition of a run, named by its label: a variant (``none`` or a skill), how
the skill reaches the model (its delivery), and who acts on the workspace (the agent). One
run may hold several arms of one variant, e.g. the skill ``inline`` and ``on-demand``: the
ablation of a skill loaded natively against the same text pasted into the prompt.

A :class:`SampleSpec` names one sample completely; within a run, ``(task, arm, epoch)``
is unique (the run fixes the model and mode), so those three name its files.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: A label or task id that can be one path segment: letters, digits, ``-_.@``.
SEGMENT = r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,79}"
_SEGMENT_RE = re.compile(SEGMENT)

Mode = Literal["oneshot", "agent"]
DeliveryName = Literal["none", "inline", "on-demand"]


def is_segment(text: str) -> bool:
    """Whether ``text`` is safe as one path segment of the run layout."""
    return bool(_SEGMENT_RE.fullmatch(text)) and text not in {".", ".."}


class Arm(BaseModel):
    """One condition under test.

    Attributes:
        label: Its name in files and reports (unique in a run).
        variant_spec: The variant (``none``, ``path:DIR``, ``git:REV:DIR``, ``pkg:...``).
        delivery: ``none`` for the baseline, else ``inline`` or ``on-demand``.
        agent: Who acts on the workspace (``builtin``: the harness's own loop or one-shot).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = Field(pattern=f"^{SEGMENT}$")
    variant_spec: str
    delivery: DeliveryName
    agent: str = "builtin"


class SampleSpec(BaseModel):
    """One sample, named completely.

    Attributes:
        task: The task id.
        arm: The arm's label.
        variant_spec: The arm's variant.
        delivery: The arm's delivery.
        agent: The arm's agent.
        mode: ``oneshot`` or ``agent``.
        model: The model spec (``anthropic:...``, ``reference``, ``sim``...).
        epoch: The repetition (0-based).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str = Field(pattern=f"^{SEGMENT}$")
    arm: str = Field(pattern=f"^{SEGMENT}$")
    variant_spec: str
    delivery: DeliveryName
    agent: str = "builtin"
    mode: Mode
    model: str
    epoch: int = Field(ge=0)

    @classmethod
    def of(
        cls, task: str, arm: Arm, *, mode: Mode, model: str, epoch: int
    ) -> SampleSpec:
        """The spec of ``task`` under ``arm``."""
        return cls(
            task=task,
            arm=arm.label,
            variant_spec=arm.variant_spec,
            delivery=arm.delivery,
            agent=arm.agent,
            mode=mode,
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


__all__ = ["SEGMENT", "Arm", "DeliveryName", "Mode", "SampleSpec", "is_segment"]
