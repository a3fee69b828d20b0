"""Whose fault a scoring exception is: the project's content (model) or the machine (infra)."""

from pathlib import Path

import pytest

from harness.run.layout import RunLayout
from harness.run.records import SampleRecord
from harness.run.sample import SampleContext, score_sample
from harness.run.spec import Arm, SampleSpec
from harness.solvers.record import GenerationRecord
from harness.tasks.loader import load_tasks


class _BrokenEnvironment:
    """An evaluation environment that fails the way a broken install does."""

    def packages(self) -> dict[str, str]:
        raise OSError("the environment's site-packages is gone")


@pytest.fixture
def sample(tmp_path: Path):
    task = load_tasks()[0]
    layout = RunLayout.of(tmp_path, "r")
    spec = SampleSpec.of(
        task.id,
        Arm(label="none", variant_spec="none", delivery="none"),
        model="sim",
        epoch=0,
    )
    ctx = SampleContext(
        layout=layout,
        tasks={task.id: task},
        variants={},
        params=None,  # type: ignore[arg-type]
        sandbox=object(),  # type: ignore[arg-type]
        environment=_BrokenEnvironment(),  # type: ignore[arg-type]
        checks=[],
    )
    record = SampleRecord(spec=spec, generation=GenerationRecord.model_construct())
    workspace = layout.workspace(spec)
    workspace.mkdir(parents=True)
    return ctx, record, workspace


def test_code_too_nested_to_parse_is_the_models_failure_counted_zero(sample):
    ctx, record, workspace = sample
    (workspace / "main.py").write_text("x = 1" + " + 1" * 300_000 + "\n")
    scored = score_sample(ctx, record)
    assert scored.failure is not None
    assert (scored.failure.stage, scored.failure.kind) == ("score", "model")
    assert "too deeply nested" in scored.failure.reason
    # Counted, as 0 (no score, a model failure), never retried by --retry-errors.
    assert scored.status == "model_failure"
    assert scored.score is None


def test_a_project_far_too_large_is_the_models_failure(sample, monkeypatch):
    import harness.project.files as files

    ctx, record, workspace = sample
    monkeypatch.setattr(files, "MAX_FILES", 3)
    for i in range(5):
        (workspace / f"m{i}.py").write_text("x = 1\n")
    scored = score_sample(ctx, record)
    assert scored.failure is not None
    assert scored.failure.kind == "model"
    assert "more than 3 files" in scored.failure.reason


def test_a_broken_machine_is_still_an_infrastructure_failure(sample):
    ctx, record, workspace = sample
    (workspace / "main.py").write_text("x = 1\n")
    scored = score_sample(ctx, record)
    assert scored.failure is not None
    assert (scored.failure.stage, scored.failure.kind) == ("score", "infra")
    assert scored.infra_failed
