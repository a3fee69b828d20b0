"""Why a sample fell short, in one line, and what the ``sim`` model drew for it.

:func:`why` reads the sample's record only: the failure, the generation's stop reason, the
checks that did not pass (acceptance first, with its first failing test). :func:`sim_draw`
reads the transcript, where ``sim`` records its draw in each reply's ``raw_stop_reason``
(``sim:gold``, ``sim:mutant:<name>``, ``sim:empty``; :mod:`harness.models.sim`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from harness.run.records import SampleRecord
    from harness.scoring.models import CheckResult
    from harness.transcript import TranscriptEvent

#: Checks named in a reason at most; the rest are counted.
SHOWN_CHECKS = 3
#: Finding codes of a test that did not pass.
_FAILING_TESTS = ("failed", "error", "collection-error")
_SIM_PREFIX = "sim:"


def _check_reason(check: CheckResult) -> str:
    said = check.reason or check.status
    if check.findings and not check.reason:
        found = len(check.findings) + check.findings_omitted
        said += f" ({found} finding{'s' if found > 1 else ''})"
    if check.name not in said:  # "15/19 acceptance tests passed" names its check
        said = f"{check.name} {said}"
    if check.name == "acceptance":
        first = next((f for f in check.findings if f.code in _FAILING_TESTS), None)
        if first is not None and first.path:
            said += f"; first failing: {first.path}"
    return said


def why(record: SampleRecord) -> str:
    """One line on why ``record`` is not a full pass; empty when it is.

    Args:
        record: The sample's record.

    Returns:
        The failure and the stop reason of a generation that did not end as intended,
        then the checks that did not pass, acceptance first with its first failing test.
    """
    parts: list[str] = []
    generation = record.generation
    if record.failure is not None:
        parts.append(record.failure.reason)
    if generation is not None and not generation.ok:
        stop = f"stopped: {generation.ending}"
        why_not = generation.reason
        if why_not and not any(why_not in p for p in parts):
            stop += f" ({why_not})"
        parts.append(stop)
    if record.score is not None:
        short = [c for c in record.score.checks if c.status not in ("pass", "skipped")]
        short.sort(key=lambda c: c.name != "acceptance")
        parts += [_check_reason(c) for c in short[:SHOWN_CHECKS]]
        if len(short) > SHOWN_CHECKS:
            parts.append(f"{len(short) - SHOWN_CHECKS} more check(s) short")
    return "; ".join(parts)


def sim_draw(events: Iterable[TranscriptEvent]) -> str | None:
    """What ``sim`` drew for a sample (``gold``, ``mutant:<name>``, ``empty``), else None."""
    for event in events:
        if event.type != "reply":
            continue
        raw = event.reply.raw_stop_reason or ""
        if raw.startswith(_SIM_PREFIX):
            return raw.removeprefix(_SIM_PREFIX)
    return None


__all__ = ["SHOWN_CHECKS", "sim_draw", "why"]
