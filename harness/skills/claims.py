"""Claim probes: small pytest tests that guard the sentences of a skill about library behaviour.

A skill keeps its probes in ``evals/claims/`` (never shipped: ``package_skill.py`` leaves
the root ``evals/`` folder out). Each probe test names the sentences it guards::

    @pytest.mark.claim("references/pydantic.md", "a bare number of seconds is rejected")
    def test_timedelta_settings_reject_seconds() -> None: ...

The text is a verbatim excerpt of the sentence; line breaks and runs of spaces count as one
space (and so does the ``#`` that continues a comment on the next line), so rewrapping a
paragraph keeps the link. The link is checked here, on the host and
without running anything: the file must exist and hold the text (once), so a rewrite cannot
silently orphan a probe, and every probe test must carry at least one marker.
``harness skill verify`` runs the probes (:mod:`harness.skills.verify`) and names the
sentences whose probe failed: they went stale.
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from harness.skills.issues import Issue

#: Where a skill keeps its claim probes, relative to the skill folder.
CLAIMS_DIR = "evals/claims"
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Claim:
    """One sentence a probe guards.

    Attributes:
        file: The skill file that states it, relative to the skill folder.
        text: The excerpt of the sentence, as the marker gives it.
        probe: The probe's test id, relative to the claims folder (``test_x.py::test_y``).
        marker_line: The marker's line in the probe file.
        line: The line of the skill file where the text starts (None until located).
    """

    file: str
    text: str
    probe: str
    marker_line: int
    line: int | None = None

    @property
    def probe_file(self) -> str:
        """The probe's module, relative to the skill folder (where issues point)."""
        return f"{CLAIMS_DIR}/{self.probe.split('::', 1)[0]}"


@dataclass(frozen=True)
class Probe:
    """One probe test and the sentences it guards.

    Attributes:
        id: ``test_x.py::test_y``, relative to the claims folder.
        line: The test function's line.
        claims: The sentences named by its ``claim`` markers.
    """

    id: str
    line: int
    claims: tuple[Claim, ...]


def _claim_args(decorator: ast.expr) -> tuple[list[ast.expr], bool]:
    """The arguments of a ``pytest.mark.claim(...)`` decorator, and whether it is one."""
    if not isinstance(decorator, ast.Call):
        return [], False
    name = ast.unparse(decorator.func)
    return decorator.args, name in {"pytest.mark.claim", "mark.claim"}


def _constants(tree: ast.Module) -> dict[str, str]:
    """The module's ``NAME = "text"`` assignments (markers may name the file through one)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found[node.targets[0].id] = node.value.value
    return found


def _literal(node: ast.expr, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _probes_in(rel: str, tree: ast.Module) -> tuple[list[Probe], list[Issue]]:
    probes: list[Probe] = []
    issues: list[Issue] = []
    where = f"{CLAIMS_DIR}/{rel}"
    constants = _constants(tree)
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if not node.name.startswith("test"):
            continue
        probe_id = f"{rel}::{node.name}"
        claims: list[Claim] = []
        for decorator in node.decorator_list:
            args, is_claim = _claim_args(decorator)
            if not is_claim:
                continue
            values = [_literal(arg, constants) for arg in args]
            if len(values) != 2 or not all(values):
                issues.append(
                    Issue(
                        code="claim-marker",
                        severity="error",
                        message='write the marker as @pytest.mark.claim("references/x.md", '
                        '"an excerpt of the sentence"): two strings, literal or module '
                        "constants",
                        path=where,
                        line=decorator.lineno,
                    )
                )
                continue
            claims.append(
                Claim(
                    file=str(values[0]),
                    text=str(values[1]),
                    probe=probe_id,
                    marker_line=decorator.lineno,
                )
            )
        if not claims:
            issues.append(
                Issue(
                    code="claim-unlinked",
                    severity="error",
                    message=f"probe {node.name} guards no sentence: add "
                    '@pytest.mark.claim("<file>", "<excerpt of the sentence it tests>")',
                    path=where,
                    line=node.lineno,
                )
            )
        probes.append(Probe(id=probe_id, line=node.lineno, claims=tuple(claims)))
    return probes, issues


def find_probes(root: Path) -> tuple[list[Probe], list[Issue]]:
    """Read the claim probes of a skill (parsed, never run).

    Args:
        root: The skill folder.

    Returns:
        The probe tests of ``evals/claims/test_*.py`` in file order, and the problems
        found in their markers.
    """
    folder = root / CLAIMS_DIR
    probes: list[Probe] = []
    issues: list[Issue] = []
    if not folder.is_dir() or folder.is_symlink():
        return probes, issues
    for path in sorted(folder.glob("test_*.py")):
        if path.is_symlink() or not path.is_file():
            continue
        rel = path.name
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        except (SyntaxError, ValueError) as error:
            issues.append(
                Issue(
                    code="claim-probe-syntax",
                    severity="error",
                    message=f"the probe module does not parse: {error}",
                    path=f"{CLAIMS_DIR}/{rel}",
                )
            )
            continue
        found, problems = _probes_in(rel, tree)
        probes += found
        issues += problems
    return probes, issues


def normalize(text: str) -> str:
    """Text with every run of whitespace made one space (how excerpts are compared)."""
    return " ".join(text.split())


def locate(text: str, excerpt: str) -> list[int]:
    """The 1-based lines where ``excerpt`` starts in ``text``, whitespace-insensitively.

    Args:
        text: The file's text.
        excerpt: The text to find.

    Returns:
        One line per occurrence, in order; empty when the text does not hold it.
    """
    starts: list[int] = []
    lines: list[int] = []
    pieces: list[str] = []
    offset = 0
    for match in _WORD.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if match[0] == "#" and not text[line_start : match.start()].strip():
            continue  # a comment's continuation mark: an excerpt may span comment lines
        starts.append(offset)
        lines.append(text.count("\n", 0, match.start()) + 1)
        pieces.append(match[0])
        offset += len(match[0]) + 1
    flat = " ".join(pieces)
    wanted = normalize(excerpt)
    found: list[int] = []
    if not wanted:
        return found
    position = flat.find(wanted)
    while position != -1:
        word = bisect.bisect_right(starts, position) - 1
        found.append(lines[word])
        position = flat.find(wanted, position + 1)
    return found


def resolve_claims(root: Path, probes: list[Probe]) -> tuple[list[Claim], list[Issue]]:
    """Find each guarded sentence in its file.

    Args:
        root: The skill folder.
        probes: The probes, from :func:`find_probes`.

    Returns:
        Every claim with the line its text starts on (None when it is gone), and an issue
        for each file that does not exist, each text no longer there (orphaned: error)
        and each text found more than once (warning: a rewrite of one copy goes unseen).
    """
    claims: list[Claim] = []
    issues: list[Issue] = []
    texts: dict[str, str | None] = {}
    for probe in probes:
        for claim in probe.claims:
            rel = PurePosixPath(claim.file)
            target = (root / rel).resolve()
            if claim.file not in texts:
                inside = target.is_relative_to(root.resolve()) and not rel.is_absolute()
                texts[claim.file] = (
                    target.read_text(encoding="utf-8", errors="replace")
                    if inside and target.is_file()
                    else None
                )
            text = texts[claim.file]
            if text is None:
                issues.append(
                    Issue(
                        code="claim-file",
                        severity="error",
                        message=f"{claim.probe} guards a sentence of {claim.file}, which "
                        "is not a file of the skill: name it relative to the skill folder",
                        path=claim.probe_file,
                        line=claim.marker_line,
                    )
                )
                claims.append(claim)
                continue
            lines = locate(text, claim.text)
            if not lines:
                issues.append(
                    Issue(
                        code="claim-orphaned",
                        severity="error",
                        message=f'{claim.file} no longer says "{claim.text}", which '
                        f"{claim.probe} guards: point the marker at the new sentence and "
                        "check that the probe still tests what it says",
                        path=claim.probe_file,
                        line=claim.marker_line,
                    )
                )
            elif len(lines) > 1:
                issues.append(
                    Issue(
                        code="claim-ambiguous",
                        severity="warning",
                        message=f'"{claim.text}" appears {len(lines)} times in '
                        f"{claim.file} (lines {', '.join(map(str, lines))}): quote more "
                        "of the sentence so a rewrite of one copy is seen",
                        path=claim.probe_file,
                        line=claim.marker_line,
                    )
                )
            claims.append(
                Claim(
                    file=claim.file,
                    text=claim.text,
                    probe=claim.probe,
                    marker_line=claim.marker_line,
                    line=lines[0] if lines else None,
                )
            )
    return claims, issues


def check_claims(root: Path) -> tuple[list[Claim], list[Issue], dict[str, int]]:
    """Read a skill's probes and check every link to its sentence (host only).

    Args:
        root: The skill folder.

    Returns:
        The located claims, the issues, and figures (``claim_probes``, ``claims``).
    """
    probes, issues = find_probes(root)
    claims, problems = resolve_claims(root, probes)
    figures = {
        "claim_probes": len(probes),
        "claims": len(claims),
        "claimed_files": len({claim.file for claim in claims}),
    }
    return claims, issues + problems, figures


__all__ = [
    "CLAIMS_DIR",
    "Claim",
    "Probe",
    "check_claims",
    "find_probes",
    "locate",
    "normalize",
    "resolve_claims",
]
