"""``harness skill lint``: check a skill folder like code.

What is checked, and how hard (errors fail the lint; warnings and notes do not):

- front matter against the Agent Skills spec (:mod:`harness.skills.frontmatter`);
- size: the SKILL.md body must stay under 500 lines (error) and should stay under about
  5,000 tokens (warning; estimated as characters / 4);
- links: every relative link, image and backticked ``references/...`` path resolves inside
  the skill (error), and its ``#anchor`` names a heading there (warning); reference files
  are linked from SKILL.md itself, not through another reference (warning), are linked at
  all (warning), and have a table of contents when longer than 100 lines (warning);
- code blocks (:mod:`harness.skills.codeblocks`): Python blocks are complete and clean under
  ruff, ruff format and mypy --strict; fragments are marked; mislabelled blocks are errors;
- claim probes (:mod:`harness.skills.claims`): every probe in ``evals/claims/`` names the
  sentences it guards, and each is still in its file (an orphaned probe is an error).
  ``harness skill verify`` runs the blocks and the probes.
"""

from __future__ import annotations

import math
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote

from harness.skills.blocks import (
    CodeBlock,
    check_block_text,
    extract_blocks,
    prose_lines,
)
from harness.skills.claims import check_claims
from harness.skills.files import SKILL_FILE, resolve_skill_dir, skill_files
from harness.skills.frontmatter import check_front_matter, split_skill_file
from harness.skills.issues import Issue, LintReport, sort_issues

if TYPE_CHECKING:
    from harness.skills.codeblocks import BlockChecker

BODY_MAX_LINES = 500
BODY_MAX_TOKENS = 5000
TOC_AFTER_LINES = 100
CHARS_PER_TOKEN = 4

_LINK = re.compile(
    r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)"
)
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s|$)")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
_MENTION = re.compile(r"^(?:references|assets|scripts)/[\w./@+-]+$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_TOC = re.compile(r"^#{1,6}\s*(table of )?contents\b", re.IGNORECASE | re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_HTML_ID = re.compile(r"<a\s+(?:name|id)=[\"']([^\"']+)[\"']")
_ANCHOR_ITEM = re.compile(r"^\s*[-*+]\s+\[[^\]]+\]\(#", re.MULTILINE)


def estimate_tokens(text: str) -> int:
    """A rough token count (characters / 4), the usual estimate for English and code."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def _targets(text: str) -> list[tuple[int, str, bool]]:
    """``(line, target, is_mention)`` for links, reference definitions and path mentions."""
    found: list[tuple[int, str, bool]] = []
    for number, line in enumerate(prose_lines(text), start=1):
        without_code = _INLINE_CODE.sub(lambda m: " " * len(m[0]), line)
        found += [(number, m["target"], False) for m in _LINK.finditer(without_code)]
        if ref := _REF_DEF.match(without_code):
            found.append((number, ref["target"], False))
        for code in _INLINE_CODE.findall(line):
            if _MENTION.match(code.strip()):
                found.append((number, code.strip(), True))
    return found


def anchors(text: str) -> set[str]:
    """The link anchors a Markdown text defines: GitHub's heading slugs and explicit ids."""
    found: set[str] = set()
    counts: dict[str, int] = {}
    for line in prose_lines(text):
        heading = _HEADING.match(line)
        if heading:
            slug = re.sub(r"[^\w\- ]", "", heading[1].strip().lower()).replace(" ", "-")
            seen = counts.get(slug, 0)
            counts[slug] = seen + 1
            found.add(slug if seen == 0 else f"{slug}-{seen}")
        found.update(_HTML_ID.findall(line))
    return found


def _check_anchor(
    root: Path, rel: str, raw: str, line: int, resolved: Path
) -> Issue | None:
    anchor = unquote(raw.partition("#")[2])
    if not anchor or resolved.suffix != ".md" or not resolved.is_file():
        return None
    text = resolved.read_text(encoding="utf-8", errors="replace")
    if anchor in anchors(text) or anchor.lower() in anchors(text):
        return None
    where = resolved.relative_to(root).as_posix()
    return Issue(
        code="link-anchor",
        severity="warning",
        message=f"`{raw}`: {where} has no heading with the anchor #{anchor}",
        path=rel,
        line=line,
    )


def _check_links(
    root: Path, rel: str, text: str, graph: dict[str, set[str]]
) -> list[Issue]:
    issues: list[Issue] = []
    here = PurePosixPath(rel).parent
    for line, raw, mention in _targets(text):
        if _SCHEME.match(raw) or raw.startswith("//"):
            continue
        target = unquote(raw.split("#", 1)[0].split("?", 1)[0])
        if not target:
            if problem := _check_anchor(root, rel, raw, line, root / rel):
                issues.append(problem)
            continue
        if target.startswith("/"):
            issues.append(
                Issue(
                    code="link-absolute",
                    severity="warning",
                    message=f"`{raw}` is an absolute path: use a path relative to the skill "
                    "so it works wherever the skill is installed",
                    path=rel,
                    line=line,
                )
            )
            continue
        base = PurePosixPath() if mention else here
        resolved = (root / base / target).resolve()
        from_root = (root / target).resolve()
        if not resolved.is_relative_to(root):
            issues.append(
                Issue(
                    code="link-outside",
                    severity="error",
                    message=f"`{raw}` points outside the skill folder, which is not "
                    "installed or packed with it: copy the file into the skill",
                    path=rel,
                    line=line,
                )
            )
            continue
        if not resolved.exists():
            if not mention and from_root.exists() and from_root.is_relative_to(root):
                issues.append(
                    Issue(
                        code="link-relative-to-root",
                        severity="warning",
                        message=f"`{raw}` resolves from the skill root but not from {rel}: "
                        "write the path relative to this file",
                        path=rel,
                        line=line,
                    )
                )
                resolved = from_root
            else:
                issues.append(
                    Issue(
                        code="link-broken",
                        severity="error",
                        message=f"`{raw}` does not exist in the skill: fix the path or add "
                        "the file",
                        path=rel,
                        line=line,
                    )
                )
                continue
        if problem := _check_anchor(root, rel, raw, line, resolved):
            issues.append(problem)
        graph.setdefault(rel, set()).add(resolved.relative_to(root).as_posix())
    return issues


def _check_references(
    markdown: dict[str, str], graph: dict[str, set[str]]
) -> list[Issue]:
    issues: list[Issue] = []
    direct = graph.get(SKILL_FILE, set())
    for rel, text in markdown.items():
        if rel == SKILL_FILE or not rel.startswith("references/"):
            continue
        linked_from = sorted(src for src, dests in graph.items() if rel in dests)
        if rel not in direct:
            if linked_from:
                issues.append(
                    Issue(
                        code="reference-nested",
                        severity="warning",
                        message=f"reached only through {linked_from[0]}: link it from "
                        "SKILL.md (agents read references one level deep and may only "
                        "partly read nested ones)",
                        path=rel,
                    )
                )
            else:
                issues.append(
                    Issue(
                        code="reference-orphan",
                        severity="warning",
                        message="no file links to it, so agents never load it: link it "
                        "from SKILL.md, saying when to read it",
                        path=rel,
                    )
                )
        if len(PurePosixPath(rel).parts) > 2:  # references/<file>
            issues.append(
                Issue(
                    code="reference-depth",
                    severity="warning",
                    message="reference files belong directly in references/, one level "
                    "deep from SKILL.md",
                    path=rel,
                )
            )
        lines = text.count("\n") + 1
        head = "\n".join(text.splitlines()[:60])
        if lines > TOC_AFTER_LINES and not (
            _TOC.search(head) or len(_ANCHOR_ITEM.findall(head)) >= 3
        ):
            issues.append(
                Issue(
                    code="reference-toc",
                    severity="warning",
                    message=f"{lines} lines without a table of contents: add a `## Contents` "
                    "list near the top so an agent can see its scope from a partial read",
                    path=rel,
                    line=1,
                )
            )
    return issues


def _check_budget(body: str, body_line: int) -> tuple[list[Issue], dict[str, int]]:
    lines = body.count("\n") + (0 if body.endswith("\n") else 1) if body else 0
    tokens = estimate_tokens(body)
    issues: list[Issue] = []
    if lines >= BODY_MAX_LINES:
        issues.append(
            Issue(
                code="body-lines",
                severity="error",
                message=f"SKILL.md body has {lines} lines; keep it under {BODY_MAX_LINES} "
                "(move detail into references/ and link it)",
                line=body_line,
            )
        )
    if tokens > BODY_MAX_TOKENS:
        issues.append(
            Issue(
                code="body-tokens",
                severity="warning",
                message=f"SKILL.md body is about {tokens} tokens; the spec recommends under "
                f"{BODY_MAX_TOKENS} (it is all loaded when the skill activates)",
                line=body_line,
            )
        )
    return issues, {"body_lines": lines, "body_tokens_estimated": tokens}


def lint_skill(path: Path, *, checker: BlockChecker | None = None) -> LintReport:
    """Lint a skill folder.

    Args:
        path: The skill folder, or its SKILL.md.
        checker: Runs ruff, format and mypy on the Python blocks; None skips the tools
            (the host-side block checks still run).

    Returns:
        The report; ``report.ok`` is False when any error was found.

    Raises:
        UsageError: When the path is missing or holds no SKILL.md.
    """
    root = resolve_skill_dir(path)
    files = skill_files(root)
    markdown = {
        rel: (root / rel).read_text(encoding="utf-8", errors="replace")
        for rel in files
        if rel.endswith(".md")
    }
    skill = split_skill_file(markdown.get(SKILL_FILE, ""))
    issues = check_front_matter(skill, root.name)
    budget, figures = _check_budget(skill.body, skill.body_line)
    issues += budget
    graph: dict[str, set[str]] = {}
    blocks: list[CodeBlock] = []
    for rel, text in markdown.items():
        issues += _check_links(root, rel, text, graph)
        blocks += extract_blocks(text, rel)
    issues += _check_references(markdown, graph)
    _, claim_issues, claim_figures = check_claims(root)
    issues += claim_issues
    figures |= claim_figures
    to_check: list[CodeBlock] = []
    for block in blocks:
        found, checkable = check_block_text(block)
        issues += found
        if checkable:
            to_check.append(block)
    python = [block for block in blocks if block.is_python]
    figures |= {
        "files": len(files),
        "markdown_files": len(markdown),
        "code_blocks": len(blocks),
        "python_blocks": len(python),
        "fragments": sum(1 for block in python if block.fragment is not None),
        "description_chars": len(
            str((skill.meta or {}).get("description", "")).strip()
        ),
    }
    if checker is not None:
        tool_issues, tool_figures = checker.check(to_check)
        issues += tool_issues
        figures |= tool_figures
    report = LintReport(
        skill=root.name,
        path=str(root),
        issues=sort_issues(issues),
        figures=dict(sorted(figures.items())),
    )
    report.figures |= {
        "errors": report.count("error"),
        "warnings": report.count("warning"),
    }
    return report
