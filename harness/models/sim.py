"""``sim``: a simulated model that plants a known effect, offline.

For each sample it answers with the task's gold project, or with the gold project broken
by one of the task's mutants (``mutants/*.patch``), or (optionally) with no project at
all. The chance of the gold project is set per arm (``--sim skill=0.8 --sim none=0.5``),
so a run of ``sim`` has a true effect the statistics can be checked against, and a person
can see a real comparison, every stage included (prompts, parsing or the tool loop,
sandboxed scoring, statistics, reports), without a key. It measures no skill: every
report of a ``sim`` run says so at the top.

The draw is deterministic: a hash of ``(seed, task, arm, epoch)`` decides it, so a
resumed or repeated run makes the same choices. The choice is recorded in each reply's
``raw_stop_reason`` (``sim:gold``, ``sim:mutant:<name>``, ``sim:empty``).
"""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from harness.errors import UsageError
from harness.models.reference import ReferenceModel
from harness.safefs import scratch_folder

NAME = "sim"


class SimSettings(BaseModel):
    """What the simulated model draws from.

    Attributes:
        gold: The chance of the gold project, per arm label.
        default: The chance for an arm not named in ``gold``.
        empty: The chance of an empty reply (taken from the non-gold share).
        seed: Seed of the draws.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    gold: dict[str, float] = Field(default_factory=dict)
    default: float = Field(default=0.5, ge=0.0, le=1.0)
    empty: float = Field(default=0.0, ge=0.0, le=1.0)
    seed: int = 0

    def chance(self, arm: str) -> float:
        """The chance of the gold project for ``arm``."""
        return self.gold.get(arm, self.default)

    @classmethod
    def parse(
        cls, pairs: list[str], *, empty: float = 0.0, seed: int = 0
    ) -> SimSettings:
        """Read ``ARM=P`` pairs (the ``--sim`` flag).

        Raises:
            UsageError: For a pair that is not ``ARM=P`` with P in [0, 1].
        """
        gold: dict[str, float] = {}
        for pair in pairs:
            arm, sep, raw = pair.partition("=")
            try:
                value = float(raw)
            except ValueError:
                value = -1.0
            if not sep or not arm or not 0.0 <= value <= 1.0:
                msg = (
                    f"--sim {pair!r}: use ARM=P with P between 0 and 1, e.g. skill=0.8"
                )
                raise UsageError(msg)
            gold[arm] = value
        if not 0.0 <= empty <= 1.0:
            msg = f"--sim-empty {empty}: give a chance between 0 and 1"
            raise UsageError(msg)
        return cls(gold=gold, empty=empty, seed=seed)


def draw(
    settings: SimSettings, *, task: str, arm: str, epoch: int, mutants: list[str]
) -> str:
    """The outcome of one sample: ``gold``, ``mutant:<name>`` or ``empty``."""
    digest = hashlib.sha256(f"{settings.seed}|{task}|{arm}|{epoch}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - a simulation, not a secret
    if rng.random() < settings.chance(arm):
        return "gold"
    if not mutants or rng.random() < settings.empty:
        return "empty"
    return f"mutant:{rng.choice(sorted(mutants))}"


def mutated_files(reference_dir: Path, patch: Path) -> dict[str, str]:
    """The reference project's files with ``patch`` applied (in a scratch copy).

    Raises:
        UsageError: When the patch does not apply.
    """
    from harness.tasks.patches import apply_patch

    with scratch_folder("harness-sim-") as scratch:
        copy = scratch / "project"
        shutil.copytree(reference_dir, copy)
        applied, why = apply_patch(patch, copy)
        if not applied:
            msg = f"mutant {patch} does not apply to {reference_dir}: {why}"
            raise UsageError(msg)
        return ReferenceModel(copy).files()


class SimModel(ReferenceModel):
    """The gold project or a mutant of it, drawn per sample.

    Args:
        reference_dir: The task's reference project.
        mutants: The task's mutant patches.
        task: The task id.
        arm: The arm's label.
        epoch: The epoch.
        settings: The chances and seed.
    """

    def __init__(
        self,
        reference_dir: Path | str,
        *,
        mutants: list[Path],
        task: str,
        arm: str,
        epoch: int,
        settings: SimSettings,
    ) -> None:
        super().__init__(reference_dir)
        self.name = NAME
        by_name = {patch.stem: patch for patch in mutants}
        self.outcome = draw(
            settings, task=task, arm=arm, epoch=epoch, mutants=list(by_name)
        )
        self._patch = by_name.get(self.outcome.removeprefix("mutant:"))

    def files(self) -> dict[str, str]:
        """The drawn project's files (none for ``empty``)."""
        if self._files is None:
            if self.outcome == "empty":
                self._files = {}
            elif self._patch is not None:
                self._files = mutated_files(self.reference_dir, self._patch)
            else:
                return super().files()
        return dict(self._files)

    @property
    def stop_label(self) -> str:
        """What the replies record as their raw stop reason."""
        return f"sim:{self.outcome}"


def create(
    name: str,
    *,
    reference_dir: Path | str,
    mutants: list[Path],
    task: str,
    arm: str,
    epoch: int = 0,
    settings: SimSettings | None = None,
) -> SimModel:
    """Build ``sim`` (``name`` is empty: the spec has no model part)."""
    del name
    return SimModel(
        reference_dir,
        mutants=mutants,
        task=task,
        arm=arm,
        epoch=epoch,
        settings=settings or SimSettings(),
    )
