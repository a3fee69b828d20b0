"""The run layout: the only code that knows a run's folder and file names.

::

    results/<run-id>/
      manifest.json                              what ran, with every hash and version
      samples/<task>/<arm>/<epoch>.json          one SampleRecord each, written atomically
      workspaces/<task>/<arm>/<epoch>/           the generated project
      transcripts/<task>/<arm>/<epoch>.jsonl     the typed transcript
      report.md  report.html  summary.json       the reports

``harness generate``, ``harness eval`` and ``harness rescore`` write it; ``replay:<run>``,
``harness report`` and ``harness compare`` read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import UsageError
from harness.run.spec import is_segment

if TYPE_CHECKING:
    from collections.abc import Iterator

    from harness.run.spec import SampleSpec


@dataclass(frozen=True)
class RunLayout:
    """The files of one run.

    Attributes:
        root: The run's folder (``results/<run-id>``).
    """

    root: Path

    @classmethod
    def of(cls, results_dir: Path, run_id: str) -> RunLayout:
        """The layout of run ``run_id`` under ``results_dir``.

        Raises:
            UsageError: When ``run_id`` cannot be a folder name.
        """
        if not is_segment(run_id):
            msg = (
                f"run id {run_id!r} must be letters, digits, '-', '_', '.' or '@' "
                "(at most 64 characters), or the run's folder"
            )
            raise UsageError(msg)
        return cls(results_dir / run_id)

    @classmethod
    def locate(cls, run: str, results_dir: Path) -> RunLayout:
        """A run given as its folder (holding ``manifest.json``) or as an id under ``results_dir``.

        Raises:
            UsageError: When ``run`` is neither.
        """
        folder = Path(run)
        if (folder / "manifest.json").is_file():
            return cls(folder)
        return cls.of(results_dir, run)

    @property
    def run_id(self) -> str:
        """The run's id (its folder's name)."""
        return self.root.name

    @property
    def manifest(self) -> Path:
        """``manifest.json``."""
        return self.root / "manifest.json"

    @property
    def samples_dir(self) -> Path:
        """The folder of sample records."""
        return self.root / "samples"

    def sample(self, spec: SampleSpec) -> Path:
        """The record of one sample."""
        return self.samples_dir / spec.task / spec.arm / f"{spec.epoch}.json"

    def workspace(self, spec: SampleSpec) -> Path:
        """The generated project of one sample."""
        return self.root / "workspaces" / spec.task / spec.arm / str(spec.epoch)

    def transcript(self, spec: SampleSpec) -> Path:
        """The transcript of one sample."""
        return self.transcript_of(spec.task, spec.arm, spec.epoch)

    def transcript_of(self, task: str, arm: str, epoch: int) -> Path:
        """The transcript of ``(task, arm, epoch)`` (what ``replay:`` reads)."""
        return self.root / "transcripts" / task / arm / f"{epoch}.jsonl"

    def report(self, suffix: str) -> Path:
        """``report.<suffix>`` (``md``, ``html``...)."""
        return self.root / f"report.{suffix}"

    @property
    def summary(self) -> Path:
        """``summary.json``: the statistics, for machines."""
        return self.root / "summary.json"

    def sample_files(self) -> Iterator[Path]:
        """Every stored sample record, in a stable order."""
        if self.samples_dir.is_dir():
            yield from sorted(self.samples_dir.glob("*/*/*.json"))


__all__ = ["RunLayout"]
