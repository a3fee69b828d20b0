"""Every ``--flag`` the harness's messages tell a user to pass exists on the command line.

Messages are the strings of ``msg = ...`` assignments, of ``raise ...(...)`` and of
``logger`` calls, anywhere in ``harness/`` (the convention of the code base). A flag of
another tool that a message quotes on purpose is listed in :data:`OTHER_TOOLS`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from harness.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")
#: Flags of other programs that messages name deliberately.
OTHER_TOOLS = {
    "--version",  # `<agent CLI> --version`, quoted when an installed coding agent fails
    "--head",  # `ray start --head`, quoted when no Ray cluster answers
}


def _strings(node: ast.AST) -> list[str]:
    return [
        sub.value
        for sub in ast.walk(node)
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
    ]


def _message_nodes(tree: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id in {"msg", "message", "hint"}
            for target in node.targets
        ):
            found.append(node.value)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            found.append(node.exc)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "logger"
        ):
            found.append(node)
    return found


def flags_in_messages() -> dict[str, list[str]]:
    """Each flag a message names -> the files that name it."""
    named: dict[str, list[str]] = {}
    for path in sorted((ROOT / "harness").rglob("*.py")):
        if "sandbox_side" in path.parts or "warmup_project" in path.parts:
            continue  # code that runs inside the sandbox, not messages to the user
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _message_nodes(tree):
            for text in _strings(node):
                for flag in FLAG.findall(text):
                    named.setdefault(flag, []).append(str(path.relative_to(ROOT)))
    return named


def cli_flags() -> set[str]:
    """Every option of every command and subcommand."""
    flags = {"--help"}
    pending = [entry.load() for entry in COMMANDS]
    while pending:
        command = pending.pop()
        for param in command.params:
            flags.update(opt for opt in param.opts if opt.startswith("--"))
            flags.update(opt for opt in param.secondary_opts if opt.startswith("--"))
        pending.extend(getattr(command, "commands", {}).values())
    return flags


def test_every_flag_a_message_names_exists() -> None:
    named = flags_in_messages()
    assert "--resume" in named  # the collection finds messages at all
    unknown = {
        flag: files
        for flag, files in named.items()
        if flag not in cli_flags() | OTHER_TOOLS
    }
    assert unknown == {}, f"messages name flags the CLI does not have: {unknown}"
