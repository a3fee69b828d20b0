"""Markdown code fences (CommonMark), in one place: opening, closing, and choosing one.

Used where the harness reads fenced blocks (a skill's Markdown, a one-shot reply) and where
it writes them (starter files in a prompt).
"""

from __future__ import annotations

import re

#: An opening fence: indentation, three or more backticks or tildes, the info string.
FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$")
_BACKTICK_RUN = re.compile(r"`+")


def open_fence(line: str, *, max_indent: int | None = None) -> re.Match[str] | None:
    """The opening fence on ``line``, or None.

    A backtick fence's info string may not contain a backtick (CommonMark), so inline
    code such as ```` ```x``` ```` is not a fence.

    Args:
        line: One line, without its newline.
        max_indent: Most columns of indentation allowed (3 in plain CommonMark, where 4
            make indented code); None allows any, as inside list items.

    Returns:
        The match, with groups ``indent``, ``fence`` and ``info`` (unstripped).
    """
    match = FENCE_OPEN.match(line)
    if match is None or (match["fence"][0] == "`" and "`" in match["info"]):
        return None
    if max_indent is not None and len(match["indent"].expandtabs(4)) > max_indent:
        return None
    return match


def closes(line: str, fence: str) -> bool:
    """Whether ``line`` closes a block opened by ``fence`` (same character, at least as long)."""
    stripped = line.strip()
    return (
        bool(stripped) and set(stripped) == {fence[0]} and len(stripped) >= len(fence)
    )


def fence_for(*texts: str) -> str:
    """A backtick fence longer than any backtick run in ``texts`` (at least three)."""
    longest = max(
        (len(run) for text in texts for run in _BACKTICK_RUN.findall(text)), default=0
    )
    return "`" * max(3, longest + 1)
