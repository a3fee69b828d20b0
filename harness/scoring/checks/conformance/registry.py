"""The rule registry: each rule is a function of the project index, added by ``@rule``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from harness.scoring.checks.conformance.index import ProjectIndex
from harness.scoring.results import Finding


@dataclass
class Outcome:
    """A rule's verdict on the project.

    Attributes:
        applicable: Whether the project contains what the rule is about.
        findings: What breaks the rule.
    """

    applicable: bool
    findings: list[Finding] = field(default_factory=list)


Rule = Callable[[ProjectIndex], Outcome]

#: The rules, in report order (the order their modules register them).
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register a rule under ``name``, which is also the code of its findings.

    Args:
        name: The rule's name, unique among the rules.

    Returns:
        A decorator that registers the function and returns it unchanged.

    Raises:
        ValueError: When another rule already has this name.
    """

    def register(function: Rule) -> Rule:
        if name in RULES:
            raise ValueError(f"conformance rule {name!r} is registered twice")
        RULES[name] = function
        return function

    return register
