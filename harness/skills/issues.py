"""What ``harness skill lint`` reports: issues with a severity, and the report that holds them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning", "info"]
_ORDER = {"error": 0, "warning": 1, "info": 2}


class Issue(BaseModel):
    """One problem (or note) found in a skill.

    Attributes:
        code: A stable rule name (``name-mismatch``, ``link-broken``, ``ruff:F401``...).
        severity: ``error`` fails the lint; ``warning`` and ``info`` do not.
        message: What is wrong and how to fix it, in one line.
        path: The file, relative to the skill folder.
        line: The 1-based line in that file, when known.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    severity: Severity
    message: str
    path: str = "SKILL.md"
    line: int | None = None

    def render(self) -> str:
        """``path:line: severity [code] message``."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity} [{self.code}] {self.message}"


class LintReport(BaseModel):
    """Everything ``harness skill lint`` found in one skill folder.

    Attributes:
        skill: The skill's folder name.
        path: The skill folder.
        issues: Issues sorted by file, line, severity.
        figures: Key numbers (lines, estimated tokens, blocks checked...).
    """

    model_config = ConfigDict(extra="forbid")

    skill: str
    path: str
    issues: list[Issue] = Field(default_factory=list)
    figures: dict[str, int | float | str] = Field(default_factory=dict)

    def count(self, severity: Severity) -> int:
        """How many issues have ``severity``."""
        return sum(1 for issue in self.issues if issue.severity == severity)

    @property
    def ok(self) -> bool:
        """Whether the skill has no errors (warnings and notes do not fail it)."""
        return self.count("error") == 0


def sort_issues(issues: list[Issue]) -> list[Issue]:
    """Issues in a stable order: SKILL.md first, then by file, line, severity, code."""
    unique = list(dict.fromkeys(issues))
    return sorted(
        unique,
        key=lambda i: (
            i.path != "SKILL.md",
            i.path,
            i.line or 0,
            _ORDER[i.severity],
            i.code,
            i.message,
        ),
    )
