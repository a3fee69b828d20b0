"""The verdicts of ``harness tasks validate``: one per step, one per mutant, one per task."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Step:
    """One verdict of a task's validation.

    Attributes:
        name: ``schema``, ``reference``, ``empty``, ``starter``.
        ok: Whether it passed.
        detail: What was found, in one line.
    """

    name: str
    ok: bool
    detail: str


@dataclass
class MutantOutcome:
    """What the acceptance tests did to one mutant.

    Attributes:
        name: The patch file's name.
        caught: Whether at least one acceptance test failed on it.
        detail: The failing tests, or why the mutant could not be judged.
        applied: Whether the patch applied to the reference.
        runs: How many acceptance runs it took: 1 unless it survived a run (a catch on a
            later run depends on timing).
    """

    name: str
    caught: bool
    detail: str
    applied: bool = True
    runs: int = 1


@dataclass
class TaskValidation:
    """Everything ``validate`` found about one task.

    Attributes:
        task_id: The task.
        steps: Verdicts of the schema, reference, empty and starter steps.
        mutants: One outcome per mutant.
        tests: The acceptance test ids collected.
        duration_s: Wall time of the validation.
        kind: The task's kind (``greenfield``, ``extend``, ``fix``), if it loaded.
        difficulty: The task's difficulty, if it loaded.
        probes: The skill rules the task probes.
    """

    task_id: str
    steps: list[Step] = field(default_factory=list)
    mutants: list[MutantOutcome] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    kind: str | None = None
    difficulty: int | None = None
    probes: list[str] = field(default_factory=list)

    @property
    def mutation_score(self) -> float | None:
        """Caught mutants over all mutants (None when there are none)."""
        if not self.mutants:
            return None
        return sum(m.caught for m in self.mutants) / len(self.mutants)

    @property
    def ok(self) -> bool:
        """Whether every step passed and every mutant applied and was caught."""
        return all(step.ok for step in self.steps) and all(
            mutant.caught and mutant.applied for mutant in self.mutants
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary (``harness tasks validate --json``)."""
        return {
            "task": self.task_id,
            "ok": self.ok,
            "kind": self.kind,
            "difficulty": self.difficulty,
            "probes": list(self.probes),
            "duration_s": self.duration_s,
            "tests": len(self.tests),
            "mutants": len(self.mutants),
            "mutants_caught": sum(m.caught for m in self.mutants),
            "mutation_score": self.mutation_score,
            "steps": [asdict(step) for step in self.steps],
            "mutant_outcomes": [asdict(mutant) for mutant in self.mutants],
            "problems": self.problems(),
        }

    def step(self, name: str) -> Step | None:
        """The step called ``name``, if it ran."""
        return next((step for step in self.steps if step.name == name), None)

    def problems(self) -> list[str]:
        """One line per failure."""
        lines = [f"{step.name}: {step.detail}" for step in self.steps if not step.ok]
        lines += [
            f"mutant {mutant.name}: {mutant.detail}"
            for mutant in self.mutants
            if not (mutant.caught and mutant.applied)
        ]
        return lines


__all__ = ["MutantOutcome", "Step", "TaskValidation"]
