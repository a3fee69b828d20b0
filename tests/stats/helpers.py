"""Builders of small score tables for the statistics tests."""

from harness.stats import SampleScores, ScoreTable


def table(
    arms: dict[str, dict[str, list[float | None]]], check: str = "overall"
) -> ScoreTable:
    """``{variant: {task: [epoch scores]}}`` -> a table with one check."""
    samples = [
        SampleScores(task=task, variant=variant, epoch=epoch, checks={check: value})
        for variant, tasks in arms.items()
        for task, values in tasks.items()
        for epoch, value in enumerate(values)
    ]
    return ScoreTable(samples=samples)


def paired(
    differences: list[float], base: float = 0.5, check: str = "overall"
) -> ScoreTable:
    """One epoch per task; the skill arm is the baseline plus each difference."""
    return table(
        {
            "none": {f"t{i:02d}": [base] for i in range(len(differences))},
            "skill": {f"t{i:02d}": [base + d] for i, d in enumerate(differences)},
        },
        check,
    )
