"""The run store: a run's manifest and sample records on disk, written so nothing is lost.

Every file is written atomically as it lands (``harness.fileio.write_atomically``): a
``kill -9`` at any moment leaves each sample either recorded whole or not at all, so
``harness eval --resume RUN`` redoes at most the samples that were in flight.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from harness.errors import UsageError, first_error
from harness.fileio import write_atomically
from harness.run.records import RunManifest, SampleRecord

if TYPE_CHECKING:
    from pathlib import Path

    from harness.run.layout import RunLayout
    from harness.run.spec import SampleSpec


def _first_error(error: ValidationError) -> str:
    where, why = first_error(error, top="(top)")
    return f"{where}: {why}"


class RunStore:
    """Reads and writes one run's files.

    Args:
        layout: The run's layout.
    """

    def __init__(self, layout: RunLayout) -> None:
        self.layout = layout

    def exists(self) -> bool:
        """Whether the run has a manifest."""
        return self.layout.manifest.is_file()

    def write_manifest(self, manifest: RunManifest) -> None:
        """Write (or rewrite) ``manifest.json``."""
        write_atomically(
            self.layout.manifest, manifest.model_dump_json(indent=2) + "\n"
        )

    def manifest(self) -> RunManifest:
        """Read ``manifest.json``.

        Raises:
            UsageError: When the run or its manifest is missing or unreadable.
        """
        path = self.layout.manifest
        if not path.is_file():
            msg = (
                f"no run at {self.layout.root} (no manifest.json): check the run id "
                "and --out"
            )
            raise UsageError(msg)
        try:
            return RunManifest.model_validate_json(path.read_bytes())
        except ValidationError as error:
            msg = f"{path} is not a run manifest ({_first_error(error)})"
            raise UsageError(msg) from None

    def write_sample(self, record: SampleRecord) -> None:
        """Write one sample's record, atomically."""
        write_atomically(
            self.layout.sample(record.spec), record.model_dump_json(indent=1) + "\n"
        )

    def read_sample(self, spec: SampleSpec) -> SampleRecord | None:
        """The stored record of ``spec``, or None when it has none yet.

        Raises:
            UsageError: When the stored file is not a sample record.
        """
        path = self.layout.sample(spec)
        if not path.is_file():
            return None
        return self._read(path)

    def _read(self, path: Path) -> SampleRecord:
        try:
            return SampleRecord.model_validate_json(path.read_bytes())
        except ValidationError as error:
            msg = (
                f"{path} is not a sample record ({_first_error(error)}): remove it to "
                "redo the sample"
            )
            raise UsageError(msg) from None

    def samples(self) -> list[SampleRecord]:
        """Every stored sample record."""
        return [self._read(path) for path in self.layout.sample_files()]


__all__ = ["RunStore"]
