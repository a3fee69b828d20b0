"""The drill-down of one sample: findings per check, the transcript, the files and their diff.

The HTML report embeds one :class:`SampleDetail` per sample, gzip-compressed and base64
encoded, and renders it only when the sample is opened, so a report of 1,000 samples
stays light. Everything is capped (:class:`Caps`): a long reply, a large file or a long
diff is cut with a note saying where the whole of it is.
"""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from harness.report.files import Caps, FileView, Reader, against_reference, cut, fit
from harness.report.reasons import sim_draw, why
from harness.transcript import TranscriptReadError, read_transcript

if TYPE_CHECKING:
    from harness.run.layout import RunLayout
    from harness.run.records import RunManifest, SampleRecord
    from harness.transcript import TranscriptEvent


class FindingView(BaseModel):
    """One finding, as shown."""

    model_config = ConfigDict(extra="forbid")

    code: str
    message: str
    where: str = ""


class CheckView(BaseModel):
    """One check of the sample, as shown."""

    model_config = ConfigDict(extra="forbid")

    name: str
    status: str
    score: float
    reason: str | None = None
    figures: dict[str, int | float | str] = Field(default_factory=dict)
    findings: list[FindingView] = Field(default_factory=list)
    omitted: int = 0


class EventView(BaseModel):
    """One transcript event, condensed: its kind, time, a one-line head and its text."""

    model_config = ConfigDict(extra="forbid")

    type: str
    t: float
    head: str
    text: str = ""


class SampleDetail(BaseModel):
    """Everything the drill-down of one sample shows."""

    model_config = ConfigDict(extra="forbid")

    key: str
    status: str
    failure: str | None = None
    reason: str = ""
    drew: str | None = None
    overall: float | None = None
    checks: list[CheckView] = Field(default_factory=list)
    events: list[EventView] = Field(default_factory=list)
    files: list[FileView] = Field(default_factory=list)
    workspace: str = ""
    notes: list[str] = Field(default_factory=list)


def _checks(record: SampleRecord, caps: Caps) -> list[CheckView]:
    if record.score is None:
        return []
    views = []
    for check in record.score.checks:
        shown = check.findings[: caps.findings]
        views.append(
            CheckView(
                name=check.name,
                status=check.status,
                score=check.score,
                reason=check.reason,
                figures=check.figures,
                findings=[
                    FindingView(
                        code=f.code,
                        message=f.message[:500],
                        where=f"{f.path}:{f.line}"
                        if f.path and f.line
                        else f.path or "",
                    )
                    for f in shown
                ],
                omitted=check.findings_omitted + len(check.findings) - len(shown),
            )
        )
    return views


def _event_view(event: TranscriptEvent, limit: int, where: str) -> EventView:
    t = round(event.t, 2)
    if event.type == "start":
        head = f"{event.model} · {event.solver} · {event.arm} ({event.delivery})"
        return EventView(
            type="system", t=t, head=head, text=cut(event.system, limit, where)
        )
    if event.type == "user":
        return EventView(
            type="user", t=t, head="user", text=cut(event.content, limit, where)
        )
    if event.type == "reply":
        reply = event.reply
        calls = "; ".join(
            f"{call.name}({json.dumps(call.arguments)[:200]})"
            for call in reply.tool_calls
        )
        head = (
            f"turn {event.turn} · {reply.stop_reason} · {reply.usage.total_tokens} tokens"
            + (" · cached" if reply.cached else "")
        )
        text = reply.text + (f"\n[tool calls] {calls}" if calls else "")
        return EventView(type="reply", t=t, head=head, text=cut(text, limit, where))
    if event.type == "tool":
        head = f"turn {event.turn} · {event.name}" + (
            " · error" if event.is_error else ""
        )
        args = json.dumps(event.arguments)[:300]
        return EventView(
            type="tool",
            t=t,
            head=head,
            text=cut(f"{args}\n{event.content}", limit, where),
        )
    if event.type == "trigger":
        head = f"turn {event.turn} · opened {event.path} via {event.via}"
        if event.kind == "listed":
            head = f"turn {event.turn} · the agent listed the skill to the model"
        return EventView(type="trigger", t=t, head=head)
    if (
        event.type == "agent"
    ):  # a coding-agent CLI's own report (harness.solvers.coding_agents)
        head = f"{event.agent} {event.version} · exit {event.returncode}" + (
            f" · stopped: {event.killed}" if event.killed else ""
        )
        return EventView(type="agent", t=t, head=head, text="\n".join(event.errors))
    if event.type == "files":
        return EventView(
            type="files",
            t=t,
            head=f"{len(event.files)} file(s) written",
            text="\n".join(event.files),
        )
    if event.type == "problem":
        head = f"{event.severity}" + (
            f" at reply line {event.line}" if event.line else ""
        )
        return EventView(type="problem", t=t, head=head, text=event.message)
    head = f"{event.ending} · {event.turns} turn(s) · {event.usage.total_tokens} tokens"
    return EventView(type="end", t=t, head=head, text=event.reason or "")


def _fit(detail: SampleDetail, caps: Caps) -> SampleDetail:
    """Drop file texts, then event texts, from the end until the sample fits its budget."""
    used = sum(len(f.text) for f in detail.files) + sum(
        len(e.text) for e in detail.events
    )
    if used <= caps.budget:
        return detail
    used, dropped = fit(detail.files, used, caps.budget)
    _, more = fit(detail.events, used, caps.budget)
    detail.notes.append(
        f"{dropped + more} text(s) left out to keep the report small: see {detail.workspace}"
    )
    return detail


def sample_detail(
    record: SampleRecord,
    layout: RunLayout,
    reference: Path | None,
    caps: Caps,
    reader: Reader | None = None,
) -> SampleDetail:
    """The drill-down of one sample, from its record, transcript and workspace."""
    spec = record.spec
    workspace = layout.workspace(spec)
    detail = SampleDetail(
        key=f"{spec.task}/{spec.arm}/{spec.epoch}",
        status=record.status,
        failure=f"{record.failure.kind} failure at {record.failure.stage}: {record.failure.reason}"
        if record.failure is not None
        else None,
        overall=record.score.overall if record.score is not None else None,
        reason=why(record),
        checks=_checks(record, caps),
        workspace=str(workspace.relative_to(layout.root)),
    )
    transcript = layout.transcript(spec)
    if transcript.is_file():
        where = str(transcript.relative_to(layout.root))
        try:
            events = read_transcript(transcript)
        except (TranscriptReadError, OSError) as error:
            detail.notes.append(f"transcript unreadable: {error}")
        else:
            detail.events = [_event_view(e, caps.event_text, where) for e in events]
            detail.drew = sim_draw(events)
    files = record.generation.files if record.generation is not None else []
    if workspace.is_dir() and not workspace.is_symlink():
        detail.files = against_reference(files, workspace, reference, caps, reader)
    return _fit(detail, caps)


def reference_dirs(manifest: RunManifest) -> dict[str, Path]:
    """Each task's reference project, where it can be found."""
    from harness.tasks.loader import tasks_dir

    out = {}
    for task in manifest.tasks:
        root = Path(task.path) if task.path else tasks_dir() / task.id
        if (root / "reference").is_dir():
            out[task.id] = root / "reference"
    return out


def pack(detail: BaseModel) -> str:
    """A detail as base64 of gzip of its JSON (what the page decompresses on demand)."""
    raw = detail.model_dump_json(exclude_defaults=True).encode()
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode(
        "ascii"
    )


def unpack(text: str) -> dict[str, Any]:
    """The inverse of :func:`pack` (for tests and tools)."""
    data: dict[str, Any] = json.loads(gzip.decompress(base64.b64decode(text)))
    return data


__all__ = [
    "Caps",
    "CheckView",
    "EventView",
    "FileView",
    "SampleDetail",
    "pack",
    "reference_dirs",
    "sample_detail",
    "unpack",
]
