"""The input of the statistics: one row per sample (task, variant, epoch) and its check scores.

The statistics know nothing of run folders or score files: the run layer turns its sample
records into a :class:`ScoreTable` and hands it over as plain data.

Rules every figure follows (documented once, here):

- **Tasks are the unit.** A variant's score on a task is the mean of its epochs on that
  task; every interval, test and power figure treats those task means as the observations.
- **A failed sample stays in the denominator.** A sample whose generation or scoring failed
  (``failed=True``, or a check whose value is ``None``) counts as score 0 for that check
  with the default policy ``missing="zero"``. The caller may choose ``missing="exclude"``
  to leave such values out instead (the report must then say so).
- **A check absent from a sample does not apply to it** (the scorer skipped it): it is left
  out of that sample's mean, never counted as 0.
- **An infrastructure failure is excluded and counted apart.** A sample marked
  ``infra_failure`` (the sandbox could not start, the provider failed after retries) is
  not the model's fault: it is left out of every score and counted per variant.
- **A check passes** when the caller says so (``passed``), or else when its value is the
  boolean ``True`` or a score of 1.0.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from statistics import fmean
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: The name of the primary endpoint: the scorer's weighted overall score, when present.
OVERALL = "overall"

#: How values that are missing because the sample failed are counted.
MissingPolicy = Literal["zero", "exclude"]

CheckValue = bool | float | None


class SampleScores(BaseModel):
    """One sample (a task, a variant, an epoch) with its check scores and costs.

    Attributes:
        task: The task's id.
        variant: The variant's label (``none``, ``skill``...).
        epoch: The repeat number (0-based or 1-based: only distinctness matters).
        checks: Score per check in [0, 1]; ``True``/``False`` stand for 1.0/0.0 and a pass
            or fail; ``None`` means the check failed to produce a score (counted 0 by
            default). A check missing from the mapping does not apply to this sample.
        passed: Pass status per check, when the caller knows it (e.g. a ``pass`` status);
            overrides the rule "passes at score 1.0".
        failed: The sample failed before it could be scored (no project, a generation
            error): every check of the table counts 0 for it by default.
        infra_failure: The sample failed for a reason outside the model (sandbox,
            environment, provider outage): excluded from scores, counted apart.
        cost_usd: What its model calls cost; ``None`` when unpriced or unknown.
        tokens: Tokens in and out; ``None`` when unknown.
        wall_s: Wall time of the sample, seconds.
        triggered: Whether the skill was used (on-demand delivery); ``None`` when the
            question does not apply.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str = Field(min_length=1)
    variant: str = Field(min_length=1)
    epoch: int = Field(ge=0)
    checks: dict[str, CheckValue] = Field(default_factory=dict)
    passed: dict[str, bool] = Field(default_factory=dict)
    failed: bool = False
    infra_failure: bool = False
    cost_usd: float | None = Field(default=None, ge=0.0)
    tokens: int | None = Field(default=None, ge=0)
    wall_s: float | None = Field(default=None, ge=0.0)
    triggered: bool | None = None

    @field_validator("checks")
    @classmethod
    def _scores_in_range(cls, checks: dict[str, CheckValue]) -> dict[str, CheckValue]:
        for name, value in checks.items():
            if isinstance(value, bool) or value is None:
                continue
            if not (math.isfinite(value) and 0.0 <= value <= 1.0):
                msg = f"check {name}: score {value} is not in [0, 1]"
                raise ValueError(msg)
        return checks

    @model_validator(mode="after")
    def _scored_or_failed(self) -> Self:
        if not self.checks and not self.failed and not self.infra_failure:
            msg = (
                f"sample {self.task}/{self.variant}/{self.epoch} has no check scores: mark it "
                "failed (counted 0) or infra_failure (excluded), so it is never dropped silently"
            )
            raise ValueError(msg)
        return self

    def score(self, check: str, missing: MissingPolicy = "zero") -> float | None:
        """This sample's contribution to ``check``, or ``None`` when it contributes nothing.

        Args:
            check: The check's name.
            missing: ``zero`` counts a failed value as 0; ``exclude`` leaves it out.

        Returns:
            The score in [0, 1]; ``None`` for an infrastructure failure, a check that does
            not apply, or a failed value under ``exclude``.
        """
        if self.infra_failure:
            return None
        if self.failed:
            return 0.0 if missing == "zero" else None
        if check not in self.checks:
            return None
        value = self.checks[check]
        if value is None:
            return 0.0 if missing == "zero" else None
        return float(value)

    def passes(self, check: str, missing: MissingPolicy = "zero") -> bool | None:
        """Whether ``check`` passed on this sample; ``None`` when the sample does not count.

        Args:
            check: The check's name.
            missing: As in :meth:`score`.

        Returns:
            The explicit ``passed`` status if given, ``True`` for a value of ``True`` or 1.0,
            ``False`` otherwise; ``None`` when :meth:`score` is ``None``.
        """
        value = self.score(check, missing)
        if value is None:
            return None
        if not self.failed and check in self.passed:
            return self.passed[check]
        return value >= 1.0


class ScoreRow(BaseModel):
    """One row of the long form: a sample's score on one check (or a failed sample).

    The sample fields (``failed`` to ``triggered``) repeat on every row of a sample; rows of
    the same sample must not contradict each other. A sample that failed before scoring
    may be given as one row with ``check=None``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str = Field(min_length=1)
    variant: str = Field(min_length=1)
    epoch: int = Field(ge=0)
    check: str | None = None
    value: CheckValue = None
    passed: bool | None = None
    failed: bool = False
    infra_failure: bool = False
    cost_usd: float | None = Field(default=None, ge=0.0)
    tokens: int | None = Field(default=None, ge=0)
    wall_s: float | None = Field(default=None, ge=0.0)
    triggered: bool | None = None


_SAMPLE_FIELDS = (
    "failed",
    "infra_failure",
    "cost_usd",
    "tokens",
    "wall_s",
    "triggered",
)


def _merge_rows(key: tuple[str, str, int], rows: list[ScoreRow]) -> SampleScores:
    """Fold the rows of one sample into a :class:`SampleScores`."""
    fields: dict[str, object] = {}
    for name in _SAMPLE_FIELDS:
        values = {getattr(row, name) for row in rows} - {None}
        if name in {"failed", "infra_failure"}:
            values -= {False}
        if len(values) > 1:
            task, variant, epoch = key
            msg = (
                f"sample {task}/{variant}/{epoch}: rows disagree on {name} "
                f"({sorted(map(str, values))}); give one value per sample"
            )
            raise ValueError(msg)
        if values:
            fields[name] = values.pop()
    checks: dict[str, CheckValue] = {}
    passed: dict[str, bool] = {}
    for row in rows:
        if row.check is None:
            continue
        if row.check in checks:
            msg = f"sample {'/'.join(map(str, key))}: check {row.check} given twice"
            raise ValueError(msg)
        checks[row.check] = row.value
        if row.passed is not None:
            passed[row.check] = row.passed
    task, variant, epoch = key
    return SampleScores.model_validate(
        {
            "task": task,
            "variant": variant,
            "epoch": epoch,
            "checks": checks,
            "passed": passed,
            **fields,
        }
    )


class ScoreTable(BaseModel):
    """Every sample of a run: the only input the statistics need.

    Attributes:
        samples: One entry per (task, variant, epoch); no duplicates.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    samples: list[SampleScores]

    @model_validator(mode="after")
    def _unique_samples(self) -> Self:
        seen: set[tuple[str, str, int]] = set()
        for sample in self.samples:
            key = (sample.task, sample.variant, sample.epoch)
            if key in seen:
                msg = f"sample {key[0]}/{key[1]}/{key[2]} appears twice"
                raise ValueError(msg)
            seen.add(key)
        return self

    @classmethod
    def from_rows(cls, rows: Iterable[ScoreRow | Mapping[str, object]]) -> ScoreTable:
        """Build a table from long rows (one per sample and check).

        Args:
            rows: :class:`ScoreRow` objects or mappings with the same fields.

        Returns:
            The table, samples in the order they first appear.

        Raises:
            ValueError: When a row is invalid or rows of one sample contradict each other.
        """
        grouped: dict[tuple[str, str, int], list[ScoreRow]] = {}
        for raw in rows:
            row = raw if isinstance(raw, ScoreRow) else ScoreRow.model_validate(raw)
            grouped.setdefault((row.task, row.variant, row.epoch), []).append(row)
        return cls(samples=[_merge_rows(key, group) for key, group in grouped.items()])

    @classmethod
    def from_json(cls, text: str) -> ScoreTable:
        """Read a table from JSON: ``{"samples": [...]}`` or a list of long rows.

        Raises:
            ValueError: When the text is not JSON or not a valid table (pydantic's
                ``ValidationError`` is a ``ValueError``).
        """
        data = json.loads(text)
        if isinstance(data, list):
            return cls.from_rows(data)
        return cls.model_validate(data)

    @property
    def variants(self) -> list[str]:
        """Variant labels in order of first appearance."""
        return list(dict.fromkeys(s.variant for s in self.samples))

    @property
    def tasks(self) -> list[str]:
        """Task ids, sorted."""
        return sorted({s.task for s in self.samples})

    @property
    def checks(self) -> list[str]:
        """Check names: ``overall`` first when present, then the others sorted."""
        names = {name for s in self.samples for name in s.checks}
        return sorted(names, key=lambda name: (name != OVERALL, name))

    def of_variant(self, variant: str) -> list[SampleScores]:
        """The samples of one variant (infrastructure failures included)."""
        return [s for s in self.samples if s.variant == variant]

    def epoch_scores(
        self, variant: str, check: str, missing: MissingPolicy = "zero"
    ) -> dict[str, list[float]]:
        """Per task, the scores of the variant's counted samples on ``check``.

        Args:
            variant: The variant.
            check: The check.
            missing: How failed values count (see the module docstring).

        Returns:
            Task id to the list of epoch scores; tasks without a counted sample are absent.
        """
        by_task: dict[str, list[float]] = {}
        for sample in self.of_variant(variant):
            value = sample.score(check, missing)
            if value is not None:
                by_task.setdefault(sample.task, []).append(value)
        return by_task

    def task_means(
        self, variant: str, check: str, missing: MissingPolicy = "zero"
    ) -> dict[str, float]:
        """Per task, the mean over epochs: the observation every statistic starts from.

        ``m_t = (1 / k_t) * sum_e x_{t,e}`` over the ``k_t`` counted epochs of task ``t``.
        """
        return {
            task: fmean(values)
            for task, values in self.epoch_scores(variant, check, missing).items()
        }

    def epoch_passes(
        self, variant: str, check: str, missing: MissingPolicy = "zero"
    ) -> dict[str, list[bool]]:
        """Per task, the pass status of the variant's counted samples on ``check``."""
        by_task: dict[str, list[bool]] = {}
        for sample in self.of_variant(variant):
            status = sample.passes(check, missing)
            if status is not None:
                by_task.setdefault(sample.task, []).append(status)
        return by_task
