"""CI gating: thresholds and required improvements that set ``harness eval``'s exit status.

- ``--fail-under CHECK=VALUE``: every arm other than the baseline (the only arm when the
  run has one) must have the *lower bound* of the 95% interval of its mean over tasks of
  ``CHECK`` at least ``VALUE`` (a bound, not the point estimate: a mean of 0.81 from three
  noisy tasks does not prove 0.8); ``--fail-under VARIANT:CHECK=VALUE`` names the arm.
  ``CHECK`` may be ``overall``.
- ``--require-improvement VARIANT[:CHECK]``: the paired comparison of ``VARIANT`` with the
  baseline on ``CHECK`` (default ``overall``) must be a win: its verdict ``better`` (the
  interval at its named level above zero, confirmed by the run's Holm family).
- ``--require-no-worse VARIANT[:CHECK]=MARGIN``: non-inferiority, the release gate of a
  new skill version against the old one as baseline: the lower bound of the comparison's
  interval (the one its verdict is judged on, at its named level) must lie above
  ``-MARGIN``.

Exit statuses (:data:`EXIT_CODES`): 0 every gate passed; 1 a gate failed; 2 a usage error;
3 the run is incomplete (samples missing, infrastructure failures or unscored samples
remain; it takes precedence over 1, since figures of an incomplete run may still move);
130 interrupted.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal
from xml.etree import ElementTree as ET

from pydantic import BaseModel, ConfigDict

from harness.errors import UsageError
from harness.stats import OVERALL

if TYPE_CHECKING:
    from pathlib import Path

    from harness.report.summary import RunSummary
    from harness.stats import RunStats

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
EXIT_INTERRUPTED = 130

#: Each exit status and what it means (the README's table).
EXIT_CODES = {
    EXIT_OK: "the run is complete and every gate passed",
    EXIT_GATE_FAILED: "a gate (--fail-under, --require-improvement, "
    "--require-no-worse) failed",
    EXIT_USAGE: "usage error (a flag or argument the harness cannot use)",
    EXIT_INCOMPLETE: "the run is incomplete: samples missing, infrastructure failures "
    "or unscored samples remain (finish with --resume [--retry-errors])",
    EXIT_INTERRUPTED: "interrupted (finish with --resume)",
}


class Gate(BaseModel):
    """One gate as the user gave it.

    Attributes:
        kind: ``fail-under`` or ``require-improvement``.
        text: The flag's value, as given.
        variant: The arm named, or None for "every arm but the baseline".
        check: The check (``overall`` by default).
        threshold: The minimum lower bound (``fail-under``), or the margin
            (``require-no-worse``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["fail-under", "require-improvement", "require-no-worse"]
    text: str
    variant: str | None
    check: str
    threshold: float | None = None


class GateResult(BaseModel):
    """One gate applied to one arm.

    Attributes:
        gate: The gate.
        variant: The arm it was applied to.
        passed: Whether it held.
        message: What was measured, in words.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    gate: Gate
    variant: str
    passed: bool
    message: str

    @property
    def name(self) -> str:
        """A name for tables and JUnit: ``--fail-under skill:overall=0.8``."""
        return f"--{self.gate.kind} {self.gate.text} [{self.variant}]"


def _split_check(text: str) -> tuple[str | None, str]:
    variant, sep, check = text.rpartition(":")
    if not sep:
        return None, text
    return variant or None, check


def parse_fail_under(text: str) -> Gate:
    """Read ``CHECK=VALUE`` or ``VARIANT:CHECK=VALUE``.

    Raises:
        UsageError: When the value is not of that form with VALUE in [0, 1].
    """
    target, sep, raw = text.partition("=")
    usage = (
        f"--fail-under {text!r}: use CHECK=VALUE or VARIANT:CHECK=VALUE with VALUE "
        "in [0, 1] (e.g. overall=0.8 or skill:acceptance=0.9)"
    )
    if not sep or not target:
        raise UsageError(usage)
    try:
        threshold = float(raw)
    except ValueError:
        raise UsageError(usage) from None
    if not (math.isfinite(threshold) and 0.0 <= threshold <= 1.0):
        raise UsageError(usage)
    variant, check = _split_check(target)
    if not check:
        raise UsageError(usage)
    return Gate(
        kind="fail-under", text=text, variant=variant, check=check, threshold=threshold
    )


def parse_require_improvement(text: str) -> Gate:
    """Read ``VARIANT`` or ``VARIANT:CHECK``.

    Raises:
        UsageError: When the value is empty or has an empty part.
    """
    variant, sep, check = text.partition(":")
    if not variant or (sep and not check):
        msg = (
            f"--require-improvement {text!r}: use VARIANT or VARIANT:CHECK "
            "(e.g. skill or skill:acceptance)"
        )
        raise UsageError(msg)
    return Gate(
        kind="require-improvement",
        text=text,
        variant=variant,
        check=check or OVERALL,
    )


def parse_require_no_worse(text: str) -> Gate:
    """Read ``VARIANT=MARGIN`` or ``VARIANT:CHECK=MARGIN`` (MARGIN in [0, 1]).

    Raises:
        UsageError: When the value is not of that form.
    """
    target, sep, raw = text.partition("=")
    usage = (
        f"--require-no-worse {text!r}: use VARIANT[:CHECK]=MARGIN with MARGIN in [0, 1] "
        "(e.g. skill-v2=0.02 or skill-v2:acceptance=0.05)"
    )
    try:
        margin = float(raw)
    except ValueError:
        raise UsageError(usage) from None
    if not sep or not (math.isfinite(margin) and 0.0 <= margin <= 1.0):
        raise UsageError(usage)
    variant, colon, check = target.partition(":")
    if not variant or (colon and not check):
        raise UsageError(usage)
    return Gate(
        kind="require-no-worse",
        text=text,
        variant=variant,
        check=check or OVERALL,
        threshold=margin,
    )


def parse_gates(
    fail_under: list[str],
    require_improvement: list[str],
    require_no_worse: list[str] | None = None,
) -> list[Gate]:
    """Read every gate flag (before any work, so a typo costs nothing).

    Raises:
        UsageError: For the first value that cannot be read.
    """
    return [
        *(parse_fail_under(text) for text in fail_under),
        *(parse_require_improvement(text) for text in require_improvement),
        *(parse_require_no_worse(text) for text in require_no_worse or []),
    ]


def check_gates(gates: list[Gate], arms: list[str], checks: list[str]) -> None:
    """Fail early when a gate names an arm or check the run does not have.

    Raises:
        UsageError: Naming the unknown arm or check and the known ones.
    """
    known_checks = [OVERALL, *checks]
    for gate in gates:
        flag = f"--{gate.kind} {gate.text!r}"
        if gate.variant is not None and gate.variant not in arms:
            msg = f"{flag}: no variant {gate.variant!r} in this run (variants: {', '.join(arms)})"
            raise UsageError(msg)
        if gate.check not in known_checks:
            msg = f"{flag}: no check {gate.check!r} (checks: {', '.join(known_checks)})"
            raise UsageError(msg)


def _fail_under(gate: Gate, summary: RunSummary) -> list[GateResult]:
    labels = summary.labels
    targets = [gate.variant] if gate.variant is not None else labels[1:] or labels[:1]
    threshold = gate.threshold if gate.threshold is not None else 0.0
    results = []
    for variant in targets:
        score = None
        if summary.stats is not None and gate.check in summary.stats.checks:
            score = summary.stats.arm(variant, gate.check).score
        if score is None or score.mean is None:
            passed, message = False, f"{variant}: no counted sample of {gate.check}"
        elif score.ci is None:
            passed = False
            message = (
                f"{variant}: mean {gate.check} {score.mean:.3f} from {score.n_tasks} "
                f"task(s) has no interval; the gate needs its lower bound"
            )
        else:
            passed = score.ci.low >= threshold
            relation = ">=" if passed else "<"
            message = (
                f"{variant}: {gate.check} lower {score.ci.level:.0%} bound "
                f"{score.ci.low:.3f} {relation} {threshold:.3f} (mean {score.mean:.3f})"
            )
        results.append(
            GateResult(gate=gate, variant=variant, passed=passed, message=message)
        )
    return results


def _comparison_gate(gate: Gate, summary: RunSummary) -> GateResult:
    return comparison_gate(gate, summary.stats, summary.baseline)


def comparison_gate(
    gate: Gate, stats: RunStats | None, baseline: str, variant: str | None = None
) -> GateResult:
    """Apply ``--require-improvement`` or ``--require-no-worse`` to one comparison.

    Args:
        gate: The gate.
        stats: The statistics holding the comparison (None: nothing scored).
        baseline: The baseline of those statistics.
        variant: The variant's label in ``stats`` (default: the gate's).
    """
    variant = variant or gate.variant or ""
    if variant == baseline:
        return GateResult(
            gate=gate,
            variant=variant,
            passed=False,
            message=f"{variant} is the baseline: the gate compares a variant with it",
        )
    if stats is None:
        return GateResult(
            gate=gate,
            variant=variant,
            passed=False,
            message="no statistics: nothing scored",
        )
    try:
        item = stats.comparison(variant, gate.check)
    except KeyError:
        return GateResult(
            gate=gate,
            variant=variant,
            passed=False,
            message=f"{variant}: no comparison on {gate.check}",
        )
    low = item.holm_ci.low if item.holm_ci is not None else None
    bound = (
        f"lower bound {low:+.3f} ({item.interval_label})"
        if low is not None
        else "no interval"
    )
    where = f"{variant} vs {item.baseline} on {gate.check}"
    if gate.kind == "require-no-worse":
        margin = gate.threshold if gate.threshold is not None else 0.0
        enough = item.verdict != "not enough data"
        passed = enough and low is not None and low > -margin
        relation = ">" if passed else "<="
        verdict = (
            f"no worse than -{margin:g}: {bound} {relation} -{margin:g}"
            if enough
            else item.verdict_text
        )
        return GateResult(
            gate=gate, variant=variant, passed=passed, message=f"{where}: {verdict}"
        )
    passed = item.verdict == "better" and low is not None and low > 0
    return GateResult(
        gate=gate,
        variant=variant,
        passed=passed,
        message=f"{where}: {bound}; {item.verdict_text}",
    )


def evaluate(gates: list[Gate], summary: RunSummary) -> list[GateResult]:
    """Apply every gate to the run."""
    results: list[GateResult] = []
    for gate in gates:
        if gate.kind == "fail-under":
            results.extend(_fail_under(gate, summary))
        else:
            results.append(_comparison_gate(gate, summary))
    return results


def exit_status(summary: RunSummary, results: list[GateResult]) -> int:
    """3 when the run is incomplete, else 1 when a gate failed, else 0."""
    if not summary.completeness.complete:
        return EXIT_INCOMPLETE
    if any(not result.passed for result in results):
        return EXIT_GATE_FAILED
    return EXIT_OK


def junit_xml(summary: RunSummary, results: list[GateResult]) -> str:
    """JUnit XML: one testcase per gate (per arm) and one per variant x check.

    A gate that failed is a ``failure``; a comparison whose verdict is ``worse`` is a
    ``failure``, one with too little data is ``skipped``; every case carries the verdict
    or measurement as its message.
    """
    suites = ET.Element("testsuites", name=f"harness eval {summary.run_id}")
    gate_suite = ET.SubElement(suites, "testsuite", name="gates")
    for result in results:
        case = ET.SubElement(
            gate_suite, "testcase", classname="gates", name=result.name
        )
        if not result.passed:
            ET.SubElement(case, "failure", message=result.message).text = result.message
        else:
            ET.SubElement(case, "system-out").text = result.message
    incomplete = summary.completeness.problems(summary.run_id)
    case = ET.SubElement(gate_suite, "testcase", classname="gates", name="run complete")
    if incomplete:
        ET.SubElement(case, "failure", message="; ".join(incomplete))
    comparisons = ET.SubElement(suites, "testsuite", name="comparisons")
    for item in summary.stats.comparisons if summary.stats is not None else []:
        case = ET.SubElement(
            comparisons,
            "testcase",
            classname=f"{item.variant}_vs_{item.baseline}",
            name=item.check,
        )
        if item.verdict == "worse":
            ET.SubElement(case, "failure", message=item.verdict_text)
        elif item.verdict == "not enough data":
            ET.SubElement(case, "skipped", message=item.verdict_text)
        else:
            ET.SubElement(case, "system-out").text = item.verdict_text
    for suite in (gate_suite, comparisons):
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set(
            "failures", str(sum(1 for c in cases if c.find("failure") is not None))
        )
        suite.set(
            "skipped", str(sum(1 for c in cases if c.find("skipped") is not None))
        )
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        + ET.tostring(suites, encoding="unicode")
        + "\n"
    )


def write_junit(path: Path, summary: RunSummary, results: list[GateResult]) -> None:
    """Write :func:`junit_xml` to ``path`` atomically."""
    from harness.fileio import write_atomically

    write_atomically(path, junit_xml(summary, results))


__all__ = [
    "EXIT_CODES",
    "EXIT_GATE_FAILED",
    "EXIT_INCOMPLETE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "Gate",
    "GateResult",
    "check_gates",
    "comparison_gate",
    "evaluate",
    "exit_status",
    "junit_xml",
    "parse_fail_under",
    "parse_gates",
    "parse_require_improvement",
    "parse_require_no_worse",
    "write_junit",
]
