"""Runs written before the one-sample-shape redesign ([L]) are still read, reported and compared.

``tests/fixtures/runs/v1run`` was written by the harness before it: manifest and sample
records of schema version 1 (``mode`` and ``agent``, a generation record repeating the
sample's identity and ending with a ``stop_reason``), transcripts of version 2. Its
generated projects are left out (the report shows them as unreadable): they are two
copies of the task's reference.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.run.eval import changed_checks
from harness.run.layout import RunLayout
from harness.run.records import SAMPLE_SCHEMA_VERSION, SampleRecord
from harness.run.store import RunStore
from harness.scoring.scorer import CHECK_VERSIONS
from harness.solvers.record import GenerationRecord, migrate_v1
from harness.transcript import StartEvent, read_transcript

V1 = Path(__file__).resolve().parents[1] / "fixtures" / "runs" / "v1run"


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    shutil.copytree(V1, tmp_path / "v1run")
    return tmp_path / "v1run"


def test_a_v1_run_reads_as_v2(v1: Path) -> None:
    store = RunStore(RunLayout(v1))
    manifest = store.manifest()
    assert manifest.schema_version == 2
    assert [entry.arm.solver for entry in manifest.arms] == ["oneshot", "oneshot"]
    records = store.samples()
    assert {r.spec.arm for r in records} == {"none", "skill"}
    for record in records:
        assert record.schema_version == SAMPLE_SCHEMA_VERSION
        assert record.spec.solver == "oneshot"
        assert record.generation is not None
        assert record.generation.ending == "finished"
        assert record.score is not None
    start = read_transcript(store.layout.transcript(records[0].spec))[0]
    assert isinstance(start, StartEvent)
    assert (start.solver, start.arm) == ("oneshot", records[0].spec.arm)


@pytest.mark.parametrize(
    ("stop", "ending"),
    [
        ("budget_turns", "limit:turns"),
        ("max_tokens", "limit:output"),
        ("parse_error", "error:model"),
        ("no_tool_calls", "error:model"),
        ("agent_error", "error:model"),
        ("model_error", "error:infra"),
        ("infrastructure", "error:infra"),
        ("completed", "finished"),
    ],
)
def test_every_v1_stop_reason_has_its_ending(stop: str, ending: str) -> None:
    raw = json.loads((V1 / "samples/timezone-timestamps/none/0.json").read_text())
    generation = raw["generation"] | {
        "stop_reason": stop,
        "ok": stop == "completed",
        "detail": "why",
    }
    migrated = GenerationRecord.model_validate(generation)
    assert migrated.ending == ending
    assert migrated.reason == (None if stop == "completed" else "why")
    assert "task" not in migrate_v1(generation)


def test_rescore_knows_which_checks_changed_since_a_run_was_scored(v1: Path) -> None:
    store = RunStore(RunLayout(v1))
    # Scores written before checks had versions: every check counts as changed.
    changed = changed_checks(store)
    assert set(changed) == {"ruff", "format", "acceptance"}
    assert changed["acceptance"] == (["unknown"], CHECK_VERSIONS["acceptance"])
    for record in store.samples():
        assert record.score is not None
        checks = [
            c.model_copy(update={"version": CHECK_VERSIONS[c.name]})
            for c in record.score.checks
        ]
        stamped = record.score.model_copy(update={"checks": checks})
        store.write_sample(record.model_copy(update={"score": stamped}))
    assert changed_checks(store) == {}


@pytest.mark.slow
def test_report_and_compare_read_a_v1_run(v1: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "harness", "report", str(v1)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((v1 / "summary.json").read_text())
    assert {a["arm"]["solver"] for a in summary["manifest"]["arms"]} == {"oneshot"}
    assert (v1 / "report.html").stat().st_size > 10_000
    other = tmp_path / "again"
    shutil.copytree(V1, other)
    done = subprocess.run(
        [sys.executable, "-m", "harness", "compare", str(v1), str(other)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    # Sample files stay v1 on disk until the run is written again: reading migrates.
    raw = json.loads((v1 / "samples/timezone-timestamps/skill/0.json").read_text())
    assert raw["schema_version"] == 1
    assert SampleRecord.model_validate(raw).spec.solver == "oneshot"
