"""``harness eval --executor ray`` on a real local Ray cluster: the same records as a
local run, a worker killed while scoring, a node in another environment, a dead driver."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.report.render import report_run
from harness.run.eval import run_eval
from harness.run.layout import RunLayout
from tests.cluster.conftest import on_ray, start
from tests.generation.gen_support import make_task

pytestmark = [pytest.mark.slow, pytest.mark.ray]

SKILL = "skill=path:skill/python-fastapi-developer"
#: What differs between two runs of the same samples: clocks, and nothing else.
TIMING_KEYS = frozenset(
    {
        "created_at",
        "generated_at",
        "scored_at",
        "started_at",
        "wall_s",
        "duration_s",
        "peak_memory_mb",
    }
)


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _samples(root: Path) -> dict[str, Any]:
    layout = RunLayout.of(root, "r")
    return {
        path.relative_to(layout.samples_dir).as_posix(): _strip(
            json.loads(path.read_bytes())
        )
        for path in layout.sample_files()
    }


@pytest.mark.parametrize(
    "values",
    [
        {"model": "reference", "tasks": ["TINY"], "epochs": 2},
        {
            "model": "sim",
            "tasks": ["crud-notes"],
            "variants": ["none", SKILL],
            "sim": ["none=0", "skill=1"],
        },
    ],
    ids=["reference", "sim"],
)
def test_a_ray_run_stores_what_a_local_run_stores(
    ray_cluster: Any, tmp_path: Path, values: dict[str, Any]
):
    if values["tasks"] == ["TINY"]:
        values = values | {"tasks": [str(make_task(tmp_path / "t").root)]}
    local = start(tmp_path / "local", **values)
    run_eval(local)
    remote = start(tmp_path / "ray", **values, executor="ray")
    outcome = on_ray(remote)

    assert all(r.score is not None and r.failure is None for r in outcome.records)
    expected, found = _samples(tmp_path / "local"), _samples(tmp_path / "ray")
    assert sorted(found) == sorted(expected)
    for name, record in expected.items():
        assert found[name] == record, name
    if values["model"] == "sim":  # the draw planted one gold and one mutant
        overall = sorted(r.score.overall for r in outcome.records if r.score)
        assert overall[0] < 1.0 == overall[1]
    # The reports read the same records: the same statistics.
    summaries = [
        report_run(RunLayout.of(tmp_path / where, "r"))[0].model_dump(mode="json")
        for where in ("local", "ray")
    ]
    assert _strip(summaries[0]) == _strip(summaries[1])
