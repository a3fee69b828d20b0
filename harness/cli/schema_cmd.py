"""``harness schema export``: the JSON Schema of every file format the harness writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from harness.cli.common import stdout, write_atomically

if TYPE_CHECKING:
    from pydantic import BaseModel

app = typer.Typer(
    help="Export the JSON Schemas of the harness's file formats.", no_args_is_help=True
)


def schema_models() -> dict[str, type[BaseModel]]:
    """Every versioned file format the harness reads or writes, by schema file name."""
    from harness.install import Manifest
    from harness.report.compare import RunComparison
    from harness.report.summary import RunSummary
    from harness.run.forecast import RunForecast
    from harness.run.records import RunManifest, SampleRecord
    from harness.scoring.results import ProjectScore
    from harness.skills.issues import LintReport
    from harness.skills.verify import VerifyReport
    from harness.solvers import GenerationRecord  # imported here: keeps --help fast
    from harness.stats import PowerPlan, ScoreTable
    from harness.tasks import ProbeCatalog, TaskConfig
    from harness.transcript.events import TranscriptLine

    return {
        "project-score": ProjectScore,
        "task": TaskConfig,
        "probes": ProbeCatalog,
        "generation-record": GenerationRecord,
        "run-manifest": RunManifest,
        "sample-record": SampleRecord,
        "transcript-event": TranscriptLine,
        "skill-lint-report": LintReport,
        "skill-verify-report": VerifyReport,
        "install-manifest": Manifest,
        "score-table": ScoreTable,
        "power-plan": PowerPlan,
        "run-forecast": RunForecast,
        "run-summary": RunSummary,
        "run-comparison": RunComparison,
    }


def render(model: type[BaseModel]) -> str:
    """A model's JSON Schema as stable, indented text."""
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n"


@app.command()
def export(
    out: Annotated[Path, typer.Option(help="Folder to write the schemas into.")] = Path(
        "docs/schemas"
    ),
) -> None:
    """Write one <format>.schema.json per file format."""
    out.mkdir(parents=True, exist_ok=True)
    for name, model in schema_models().items():
        target = out / f"{name}.schema.json"
        write_atomically(target, render(model))
        stdout.print(f"wrote {target}")
