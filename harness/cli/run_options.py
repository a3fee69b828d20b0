"""The options that describe a run, shared by ``harness eval`` and ``harness plan``.

Each is an ``Annotated`` type: ``model: ModelOption = None``. ``None`` means "not given":
the project's ``[tool.harness]`` default (or the built-in one) applies.
"""

from __future__ import annotations

from typing import Annotated

import typer

ModelOption = Annotated[
    str | None,
    typer.Option(
        help="anthropic:<model>, openai:<model>, reference, sim or replay:<run>."
    ),
]
VariantOption = Annotated[
    list[str] | None,
    typer.Option(
        "--variant",
        help="[LABEL=]none|path:DIR|git:REV:DIR|pkg:PKG/PATH[@inline|@on-demand] "
        "(repeatable; the first `none` is the baseline).",
    ),
]
TasksOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tasks", help="Suites (smoke, full) or task ids (repeatable, or a,b,c)."
    ),
]
EpochsOption = Annotated[
    int | None, typer.Option(help="Repetitions per task and variant.", min=1)
]
SolverOption = Annotated[
    str | None,
    typer.Option(
        help="Who writes each project: oneshot (one reply), loop (the harness's tool "
        "loop), claude-code or codex (the real CLI in the sandbox through the model "
        "gateway).",
        show_default="oneshot",
    ),
]
ModeOption = Annotated[
    str | None,
    typer.Option(
        help="Alias: --mode oneshot is --solver oneshot, --mode agent is --solver loop."
    ),
]
AgentOption = Annotated[
    str | None,
    typer.Option(help="Alias: --agent claude-code is --solver claude-code."),
]
DeliveryOption = Annotated[
    str | None,
    typer.Option(
        help="Delivery of a skill variant that does not fix its own "
        "(inline or on-demand; default: the solver's own).",
    ),
]
ConcurrencyOption = Annotated[
    int | None, typer.Option(help="Samples generating at once.", min=1)
]
SlotsOption = Annotated[
    int | None, typer.Option(help="Samples scored at once (default: cores).", min=1)
]
MaxTokensOption = Annotated[
    int | None, typer.Option(help="Output tokens per reply.", min=1)
]
MaxCostOption = Annotated[
    float | None, typer.Option(help="Dollar budget per sample.", min=0)
]


def split_values(values: list[str] | None) -> list[str] | None:
    """Repeated and comma-separated values as one list (``None`` when none given)."""
    if not values:
        return None
    return [part for value in values for part in value.split(",") if part]


__all__ = [
    "AgentOption",
    "ConcurrencyOption",
    "DeliveryOption",
    "EpochsOption",
    "MaxCostOption",
    "MaxTokensOption",
    "ModeOption",
    "ModelOption",
    "SlotsOption",
    "SolverOption",
    "TasksOption",
    "VariantOption",
    "split_values",
]
