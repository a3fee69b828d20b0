"""Read the JSON lines written by the ``scorer_pytest_report`` plugin into a summary."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from harness.environment import HELPERS_DIR
from harness.project import read_bytes_safely
from harness.sandbox import HELPERS
from harness.scoring.results import Finding

_REPORT_LIMIT = 20 * 1024 * 1024
#: Where the harness's plugin lives: in the sandbox, and on the host (``--sandbox none``).
PLUGIN_FILES = frozenset(
    {
        f"{HELPERS}/scorer_pytest_report.py",
        str(HELPERS_DIR / "scorer_pytest_report.py"),
    }
)


@dataclass
class PytestSummary:
    """Outcomes of one pytest run.

    Attributes:
        outcomes: Final outcome by test id: ``passed``, ``failed``, ``error``, ``skipped``,
            ``xfailed`` (an expected failure that failed).
        messages: The failure message, or the reason for a skip or xfail, by test id.
        collection_errors: ``(module, message)`` of modules that did not import.
        skipped_modules: ``(module or folder, reason)`` of collectors pytest skipped (their
            tests were never collected).
        deprecations: Distinct deprecation warnings as ``(category, message, where)``.
        started_unfinished: The test that started but never reported (a hang), if any.
        exit_status: pytest's exit status, if it got that far.
        reporting_hooks: Project plugin modules (conftests) implementing hooks that can
            change or hide results, with the hooks.
        overridden: Tests that raised but were reported passed by another plugin.
        plugin: The file of the plugin that wrote the report, as it said.
        ran_first: ``module=path`` of the project's modules imported before the plugin.
    """

    outcomes: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    collection_errors: list[tuple[str, str]] = field(default_factory=list)
    skipped_modules: list[tuple[str, str]] = field(default_factory=list)
    deprecations: set[tuple[str, str, str]] = field(default_factory=set)
    started_unfinished: str | None = None
    exit_status: int | None = None
    reporting_hooks: dict[str, list[str]] = field(default_factory=dict)
    overridden: set[str] = field(default_factory=set)
    plugin: str | None = None
    ran_first: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """How many tests ended with ``outcome``."""
        return sum(1 for value in self.outcomes.values() if value == outcome)

    @property
    def executed(self) -> int:
        """Tests that ran to a verdict (passed, failed or error)."""
        return self.count("passed") + self.count("failed") + self.count("error")

    @property
    def disabled(self) -> int:
        """Tests skipped or expected to fail (``xfailed``): no verdict of their own."""
        return self.count("skipped") + self.count("xfailed")

    def pass_rate(self) -> float:
        """Passed over executed (0 when nothing ran)."""
        return self.count("passed") / self.executed if self.executed else 0.0

    def figures(self) -> dict[str, int | float | str]:
        """Counts for a check's key figures."""
        return {
            "passed": self.count("passed"),
            "failed": self.count("failed"),
            "errors": self.count("error"),
            "skipped": self.count("skipped"),
            "xfailed": self.count("xfailed"),
            "collection_errors": len(self.collection_errors),
            "deprecation_warnings": len(self.deprecations),
        }

    def findings(self) -> list[Finding]:
        """A finding per failing test, collection error and distinct deprecation warning."""
        found = [
            Finding(
                code=outcome, message=self.messages.get(nodeid, outcome), path=nodeid
            )
            for nodeid, outcome in self.outcomes.items()
            if outcome in {"failed", "error"}
        ]
        found += [
            Finding(code="collection-error", message=message, path=module)
            for module, message in self.collection_errors
        ]
        found += [
            Finding(
                code="deprecation",
                message=f"{category}: {message}",
                path=where,
                severity="warning",
            )
            for category, message, where in self.deprecations
        ]
        return found + self.plugin_findings()

    def plugin_findings(self) -> list[Finding]:
        """``tamper:`` findings when the report does not come from the harness's plugin alone.

        The plugin's first line names its file and the project's modules imported before it
        (a start-up hook or shadowed module that ran before pytest). A report that pytest
        finished without that line, or with another file, was not written by the plugin.
        """
        found = [
            Finding(
                code="tamper:ran-before-plugin",
                message=f"the project's module {name} was imported before the harness's "
                "pytest plugin",
                path=where,
            )
            for name, _, where in (entry.partition("=") for entry in self.ran_first)
        ]
        if self.plugin is not None and self.plugin not in PLUGIN_FILES:
            found.append(
                Finding(
                    code="tamper:plugin-replaced",
                    message=f"the report was written by {self.plugin}, not the harness's "
                    "pytest plugin",
                )
            )
        elif self.plugin is None and self.exit_status is not None:
            found.append(
                Finding(
                    code="tamper:plugin-unverified",
                    message="the report lacks the harness's pytest plugin's first line",
                )
            )
        return found


def _merge(current: str | None, when: str, outcome: str) -> str:
    if outcome in {"failed", "overridden"}:
        return "failed" if when == "call" else "error"
    if outcome in {"skipped", "xfailed"}:
        return current if current in {"failed", "error"} else outcome
    return current or ("passed" if when == "call" else "")


def read_report(path: Path) -> PytestSummary:
    """Parse a report file; a missing or partial file gives a partial summary.

    Args:
        path: The JSON-lines file (in a harness-owned folder the sandbox could write to:
            read without following links and size-capped).

    Returns:
        The summary.
    """
    summary = PytestSummary()
    data = read_bytes_safely(path.parent, path.name, limit=_REPORT_LIMIT) or b""
    started: list[str] = []
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(event, dict):
            continue
        kind = event.get("event")
        nodeid = str(event.get("nodeid", ""))
        if kind == "start":
            started.append(nodeid)
        elif kind == "report":
            outcome = str(event.get("outcome"))
            if outcome == "skipped" and event.get("xfail"):
                outcome = "xfailed"
            merged = _merge(
                summary.outcomes.get(nodeid), str(event.get("when")), outcome
            )
            if merged:
                summary.outcomes[nodeid] = merged
            if outcome == "overridden":
                summary.overridden.add(nodeid)
            if event.get("message") and outcome in {"failed", "overridden"}:
                summary.messages[nodeid] = str(event["message"])
            elif event.get("message") and outcome in {"skipped", "xfailed"}:
                summary.messages.setdefault(nodeid, str(event["message"]))
            if event.get("when") == "teardown" and nodeid in started:
                started.remove(nodeid)
        elif kind == "collect_error":
            summary.collection_errors.append((nodeid, str(event.get("message", ""))))
        elif kind == "collect_skip":
            summary.skipped_modules.append((nodeid, str(event.get("message", ""))))
        elif kind == "warning" and event.get("deprecation"):
            where = f"{Path(str(event.get('filename', ''))).name}:{event.get('lineno')}"
            first = (
                str(event.get("message", "")).splitlines()[0]
                if event.get("message")
                else ""
            )
            summary.deprecations.add((str(event.get("category")), first, where))
        elif kind == "reporting_hook":
            hooks = event.get("hooks")
            summary.reporting_hooks[nodeid] = (
                [str(h) for h in hooks] if isinstance(hooks, list) else []
            )
        elif kind == "plugin" and summary.plugin is None:
            summary.plugin = str(event.get("file"))
            found = event.get("project_modules")
            summary.ran_first = (
                [str(m) for m in found] if isinstance(found, list) else []
            )
        elif kind == "finish":
            summary.exit_status = int(event.get("exitstatus", -1))
    if started:
        summary.started_unfinished = started[-1]
    return summary
