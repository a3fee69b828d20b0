"""A sample row says why it fell short and, under sim, which mutant it drew."""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.models.base import ModelReply
from harness.report import conclude
from harness.report.reasons import sim_draw, why
from harness.run.layout import RunLayout
from harness.run.records import Failure
from harness.scoring.models import CheckResult, Finding
from harness.solvers import SampleError
from harness.transcript import ReplyEvent, UserEvent

from .helpers import RESAMPLES, make_run
from .test_render import embedded

if TYPE_CHECKING:
    from pathlib import Path

    from harness.run.records import SampleRecord


def scored(results: Path) -> SampleRecord:
    _, records = make_run(results, run_id="w", tasks=1, epochs=1)
    return records[0]


def with_checks(record: SampleRecord, checks: list[CheckResult]) -> SampleRecord:
    assert record.score is not None
    return record.model_copy(
        update={"score": record.score.model_copy(update={"checks": checks})}
    )


def check(name: str, status: str, **fields: object) -> CheckResult:
    return CheckResult.model_validate(
        {
            "name": name,
            "status": status,
            "score": 1.0 if status == "pass" else 0.5,
            "duration_s": 0.1,
        }
        | fields
    )


def test_a_full_pass_has_no_reason(results: Path) -> None:
    record = with_checks(
        scored(results), [check("ruff", "pass"), check("acceptance", "pass")]
    )
    assert why(record) == ""


def test_acceptance_first_with_its_first_failing_test(results: Path) -> None:
    failing = [
        Finding(code="deprecation", message="old", path="x.py", severity="warning"),
        Finding(
            code="failed", message="assert 201 == 401", path="test_keys.py::test_admin"
        ),
        Finding(code="failed", message="boom", path="test_keys.py::test_other"),
    ]
    record = with_checks(
        scored(results),
        [
            check("ruff", "fail", findings=[Finding(code="F401", message="unused")]),
            check("mypy", "pass"),
            check(
                "acceptance",
                "fail",
                reason="22/24 acceptance tests passed",
                findings=failing,
            ),
            check("conformance", "skipped"),
        ],
    )
    assert why(record) == (
        "22/24 acceptance tests passed; first failing: test_keys.py::test_admin; "
        "ruff fail (1 finding)"
    )


def test_more_than_three_short_checks_are_counted(results: Path) -> None:
    names = ["ruff", "format", "mypy", "own_tests", "dependencies"]
    record = with_checks(scored(results), [check(n, "fail") for n in names])
    assert why(record).endswith("; 2 more check(s) short")


def test_a_model_failure_names_how_it_ended(results: Path) -> None:
    record = scored(results)
    assert record.generation is not None
    failed = record.model_copy(
        update={
            "score": None,
            "failure": Failure(
                stage="generate", kind="model", reason="no files in the reply"
            ),
            "generation": record.generation.model_copy(
                update={
                    "error": SampleError(kind="model", message="no files in the reply")
                }
            ),
        }
    )
    assert why(failed) == "no files in the reply; stopped: error:model"


def test_sim_draw_is_read_from_the_reply() -> None:
    events = [
        UserEvent(content="build it"),
        ReplyEvent(
            turn=1, reply=ModelReply(text="", raw_stop_reason="sim:mutant:off-by-one")
        ),
    ]
    assert sim_draw(events) == "mutant:off-by-one"
    assert (
        sim_draw(
            [ReplyEvent(turn=1, reply=ModelReply(text="", raw_stop_reason="end_turn"))]
        )
        is None
    )


def test_rows_carry_the_reason_and_the_draw(results: Path) -> None:
    manifest, records = make_run(
        results, run_id="rw", tasks=4, infra_rate=0.1, model_failure_rate=0.1, seed=5
    )
    conclude(
        manifest, RunLayout.of(results, "rw"), records, gates=[], n_resamples=RESAMPLES
    )
    rows = embedded((results / "rw" / "report.html").read_text(), "rows-data")
    assert isinstance(rows, list)
    by_status: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        by_status.setdefault(str(row["status"]), []).append(row)
    assert all(r["why"] for r in by_status["scored"])  # synthetic scores never all pass
    assert all(
        str(r["drew"]).startswith(("gold", "mutant:")) for r in by_status["scored"]
    )
    assert all(
        r["why"] == "sandbox could not start" for r in by_status["infra_failure"]
    )
    assert all(
        "no files in the reply" in str(r["why"]) for r in by_status["model_failure"]
    )
