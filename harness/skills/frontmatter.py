"""SKILL.md front matter: split it from the body and check it against the Agent Skills spec.

The rules are those of the spec (agentskills.io/specification) and of the validators that
enforce it: skill-creator's ``quick_validate.py`` (used by ``package_skill.py``, claude.ai
uploads and the Skills API) and ``skills-ref validate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from harness.skills.issues import Issue

#: The six fields the spec defines; every validator rejects or reports any other.
SPEC_FIELDS = frozenset(
    {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}
)
#: Claude Code's extensions to the spec (``docs/en/skills.md``).
CLAUDE_CODE_FIELDS = frozenset(
    {
        "when_to_use",
        "argument-hint",
        "arguments",
        "disable-model-invocation",
        "user-invocable",
        "disallowed-tools",
        "model",
        "effort",
        "context",
        "agent",
        "background",
        "hooks",
        "paths",
        "shell",
    }
)
NAME_MAX = 64
DESCRIPTION_MAX = 1024
COMPATIBILITY_MAX = 500
RESERVED_WORDS = ("anthropic", "claude")

_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_FENCE = re.compile(
    r"\A---[ \t]*\n(?P<yaml>.*?)^---[ \t]*$\n?", re.DOTALL | re.MULTILINE
)
_UNQUOTED_COLON = re.compile(
    r"^(?P<key>[A-Za-z_][\w-]*):[ \t]+(?P<value>[^'\"\[{|>&*!\s][^\n]*?:\s[^\n]*)$",
    re.M,
)
_WHEN = re.compile(r"\b(when|whenever|use (?:it|this|for)|trigger)", re.IGNORECASE)

REJECTED_BY = (
    "claude.ai uploads, the Claude Skills API and skill-creator's package_skill.py reject "
    'the skill ("Unexpected key(s) in SKILL.md frontmatter"), `skills-ref validate` '
    "reports it and OpenCode ignores it"
)


@dataclass(frozen=True)
class SkillFile:
    """SKILL.md split into front matter and body.

    Attributes:
        text: The whole file, newlines normalised to LF.
        meta: The parsed front matter, or None when missing or invalid.
        body: Everything after the front matter.
        body_line: The 1-based line of the file where the body starts.
        problems: Why the front matter could not be read (errors).
    """

    text: str
    meta: dict[str, Any] | None
    body: str
    body_line: int
    problems: tuple[Issue, ...] = ()


def _quote_colon_values(raw: str) -> str:
    """Quote top-level values that hold ``: `` (the usual invalid YAML of a description)."""

    def quote(match: re.Match[str]) -> str:
        value = match["value"].rstrip().replace("'", "''")
        return f"{match['key']}: '{value}'"

    return _UNQUOTED_COLON.sub(quote, raw)


def split_skill_file(text: str, *, lenient: bool = False) -> SkillFile:
    """Split SKILL.md into its YAML front matter and Markdown body.

    The one front-matter parser of the harness: ``harness skill lint`` and ``install``
    read strictly; loading a skill for a model (``variants``) is lenient, as the Agent
    Skills client guidance asks: invalid YAML is retried with values holding ``: ``
    quoted (``description: Use when: ...``).

    Args:
        text: The file's text.
        lenient: Retry invalid YAML with such values quoted before giving up.

    Returns:
        The parts; ``problems`` says why ``meta`` is None.
    """
    text = text.replace("\r\n", "\n").removeprefix("\ufeff")
    match = _FENCE.match(text)
    if match is None:
        problem = Issue(
            code="frontmatter-missing",
            severity="error",
            message="SKILL.md must start with YAML front matter between `---` lines "
            "(with at least `name` and `description`)",
            line=1,
        )
        return SkillFile(text, None, text, 1, (problem,))
    body = text[match.end() :]
    body_line = text[: match.end()].count("\n") + 1
    raw = match["yaml"]
    try:
        try:
            meta = yaml.safe_load(raw) if raw.strip() else {}
        except yaml.YAMLError:
            if not lenient:
                raise
            meta = yaml.safe_load(_quote_colon_values(raw))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        detail = str(getattr(error, "problem", None) or error).splitlines()[0]
        problem = Issue(
            code="frontmatter-yaml",
            severity="error",
            message=f"front matter is not valid YAML ({detail}): quote values that "
            "contain `: ` or start with a special character",
            line=line,
        )
        return SkillFile(text, None, body, body_line, (problem,))
    if not isinstance(meta, dict):
        problem = Issue(
            code="frontmatter-yaml",
            severity="error",
            message="front matter must be a YAML mapping of fields (`name: ...`)",
            line=2,
        )
        return SkillFile(text, None, body, body_line, (problem,))
    return SkillFile(text, meta, body, body_line)


def _field_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.startswith("---"):
            break
        key = re.match(r"^([A-Za-z0-9_-]+)\s*:", line)
        if key:
            lines.setdefault(key[1], number)
    return lines


def _unknown_field(key: str, line: int | None) -> Issue:
    who = (
        "Claude Code understands it, but "
        if key in CLAUDE_CODE_FIELDS
        else "no agent documents it: "
    )
    return Issue(
        code="field-unknown",
        severity="warning",
        message=f"front-matter field `{key}` is not in the Agent Skills spec: {who}"
        f"{REJECTED_BY}; keep to {', '.join(sorted(SPEC_FIELDS))} (put extras under "
        "`metadata`)",
        line=line,
    )


def _check_name(name: object, folder: str, line: int | None) -> list[Issue]:
    if name is None:
        return [
            Issue(
                code="name-missing",
                severity="error",
                message=f"front matter has no `name`: add `name: {folder}`",
                line=line or 2,
            )
        ]
    if not isinstance(name, str) or not name.strip():
        return [
            Issue(
                code="name-format",
                severity="error",
                message=f"`name` must be a non-empty string: write `name: {folder}`",
                line=line,
            )
        ]
    issues: list[Issue] = []
    if len(name) > NAME_MAX:
        issues.append(
            Issue(
                code="name-length",
                severity="error",
                message=f"`name` has {len(name)} characters; the spec allows 1-{NAME_MAX}",
                line=line,
            )
        )
    if not _NAME.match(name):
        issues.append(
            Issue(
                code="name-format",
                severity="error",
                message=f"`name` {name!r} must use only a-z, 0-9 and single hyphens, "
                "not starting or ending with a hyphen",
                line=line,
            )
        )
    if name != folder:
        issues.append(
            Issue(
                code="name-mismatch",
                severity="error",
                message=f"`name` {name!r} must equal the skill's folder name {folder!r}: "
                "rename one of them",
                line=line,
            )
        )
    reserved = [word for word in RESERVED_WORDS if word in name]
    if reserved:
        issues.append(
            Issue(
                code="name-reserved",
                severity="warning",
                message=f"`name` contains the reserved word {reserved[0]!r}, which "
                "Anthropic's skill rules forbid (uploads to claude.ai fail)",
                line=line,
            )
        )
    return issues


def _check_description(description: object, line: int | None) -> list[Issue]:
    if description is None:
        return [
            Issue(
                code="description-missing",
                severity="error",
                message="front matter has no `description`: say what the skill does and "
                "when to use it (agents choose skills by it)",
                line=line or 2,
            )
        ]
    if not isinstance(description, str) or not description.strip():
        return [
            Issue(
                code="description-format",
                severity="error",
                message="`description` must be a non-empty string of 1-1024 characters",
                line=line,
            )
        ]
    issues: list[Issue] = []
    text = description.strip()
    if len(text) > DESCRIPTION_MAX:
        issues.append(
            Issue(
                code="description-length",
                severity="error",
                message=f"`description` has {len(text)} characters; the spec allows "
                f"{DESCRIPTION_MAX} (Codex rejects longer ones)",
                line=line,
            )
        )
    if "<" in text or ">" in text:
        issues.append(
            Issue(
                code="description-angle-brackets",
                severity="error",
                message="`description` must not contain `<` or `>` (quick_validate and "
                "claude.ai uploads reject it): reword without tags or comparisons",
                line=line,
            )
        )
    if not _WHEN.search(text):
        issues.append(
            Issue(
                code="description-when",
                severity="info",
                message="`description` does not say when to use the skill "
                '("Use when ..."): agents pick skills by this text',
                line=line,
            )
        )
    return issues


def _check_optional(meta: dict[str, Any], lines: dict[str, int]) -> list[Issue]:
    issues: list[Issue] = []
    if "compatibility" in meta:
        value = meta["compatibility"]
        if not isinstance(value, str) or not 1 <= len(value) <= COMPATIBILITY_MAX:
            issues.append(
                Issue(
                    code="compatibility-format",
                    severity="error",
                    message=f"`compatibility` must be a string of 1-{COMPATIBILITY_MAX} "
                    "characters",
                    line=lines.get("compatibility"),
                )
            )
    if "license" in meta and not isinstance(meta["license"], str):
        issues.append(
            Issue(
                code="license-format",
                severity="warning",
                message="`license` should be a short string (a licence name or a bundled "
                "file's name)",
                line=lines.get("license"),
            )
        )
    if "metadata" in meta:
        value = meta["metadata"]
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            issues.append(
                Issue(
                    code="metadata-format",
                    severity="warning",
                    message="`metadata` should map strings to strings (quote numbers and "
                    "booleans)",
                    line=lines.get("metadata"),
                )
            )
    if "allowed-tools" in meta and not isinstance(meta["allowed-tools"], str):
        issues.append(
            Issue(
                code="allowed-tools-format",
                severity="warning",
                message="`allowed-tools` is a space-separated string "
                "(`Bash(git:*) Read`), not a list",
                line=lines.get("allowed-tools"),
            )
        )
    return issues


def check_front_matter(skill: SkillFile, folder: str) -> list[Issue]:
    """Check SKILL.md's front matter against the spec.

    Args:
        skill: SKILL.md, split.
        folder: The skill folder's name, which ``name`` must equal.

    Returns:
        Errors for what validators reject, warnings for what some agents reject.
    """
    if skill.meta is None:
        return list(skill.problems)
    meta = skill.meta
    lines = _field_lines(skill.text)
    issues = _check_name(meta.get("name"), folder, lines.get("name"))
    issues += _check_description(meta.get("description"), lines.get("description"))
    issues += _check_optional(meta, lines)
    issues += [
        _unknown_field(str(key), lines.get(str(key)))
        for key in meta
        if key not in SPEC_FIELDS
    ]
    return issues
