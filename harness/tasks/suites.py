"""Suites: which tasks a command runs, named once for ``tasks validate`` and ``eval``.

A selector is one of:

- a suite named in ``evals/suites.toml`` (``smoke``, ``full``...);
- ``tag:<tag>``: every task with that tag;
- ``probe:<id>``: every task probing that skill rule (an id of ``evals/probes.toml``);
- ``kind:<greenfield|extend|fix>``: every task of that kind;
- a task id.

Several selectors (a list, or one string with commas: ``"smoke,tag:auth"``) give the union,
in the order first named. A suite in ``suites.toml`` is a list of selectors too, except
other suite names; ``"*"`` means every task.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from harness.errors import UsageError
from harness.tasks.loader import Task, TaskError, get_task, task_ids, tasks_dir
from harness.tasks.probes import load_probes, probes_path

#: The selector prefixes, and what each matches on.
_PREFIXES: dict[str, Callable[[Task, str], bool]] = {
    "tag": lambda task, value: value in task.config.tags,
    "probe": lambda task, value: value in task.config.probes,
    "kind": lambda task, value: task.config.kind == value,
}


def suites_path(root: Path) -> Path:
    """``suites.toml`` beside the tasks folder (``evals/suites.toml``)."""
    return root.parent / "suites.toml"


def _read_suites(root: Path) -> dict[str, list[str]]:
    """The raw ``[suites]`` table: suite name to its list of selectors."""
    path = suites_path(root)
    if not path.is_file():
        return {"full": ["*"]}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        msg = f"{path}: not valid TOML ({error}): fix the syntax"
        raise TaskError(msg) from None
    raw = data.get("suites")
    if not isinstance(raw, dict):
        msg = f"{path}: no [suites] table: add one, e.g. full = ['*']"
        raise TaskError(msg)
    suites: dict[str, list[str]] = {}
    for name, members in raw.items():
        if not isinstance(members, list) or not all(
            isinstance(item, str) for item in members
        ):
            msg = f"{path}: suite {name!r} must be a list of task ids or selectors"
            raise TaskError(msg)
        suites[str(name)] = members
    return suites


def _matching(prefix: str, value: str, root: Path) -> list[str]:
    """Ids of the tasks a ``prefix:value`` selector matches, sorted."""
    if prefix == "probe":
        catalog = load_probes(probes_path(root))
        if value not in catalog.ids:
            known = ", ".join(sorted(catalog.ids)) or "none"
            msg = f"no probe {value!r} in {probes_path(root)}: choose from {known}"
            raise UsageError(msg)
    tasks = [get_task(task_id, root) for task_id in task_ids(root)]
    found = [task.id for task in tasks if _PREFIXES[prefix](task, value)]
    if not found:
        if prefix == "tag":
            used = sorted({tag for task in tasks for tag in task.config.tags})
            hint = f"tags in use: {', '.join(used) or 'none'}"
        elif prefix == "kind":
            hint = "kinds: greenfield, extend, fix"
        else:
            hint = "add it to a task's probes in task.toml"
        msg = f"no task matches {prefix}:{value} ({hint})"
        raise UsageError(msg)
    return found


def _expand(member: str, root: Path, known: list[str], where: str) -> list[str]:
    """The ids one selector stands for (suite names are resolved by the caller)."""
    if member == "*":
        return list(known)
    prefix, colon, value = member.partition(":")
    if colon:
        if prefix not in _PREFIXES:
            msg = (
                f"{where}: unknown selector {member!r}: use tag:<tag>, probe:<id> "
                "or kind:<greenfield|extend|fix>"
            )
            raise UsageError(msg)
        return _matching(prefix, value, root)
    if member in known:
        return [member]
    msg = f"{where}: no task {member!r}"
    raise TaskError(msg)


def load_suites(
    root: Path | None = None, *, strict: bool = True
) -> dict[str, list[str]]:
    """The named suites of ``suites.toml``, each expanded to task ids.

    Args:
        root: The tasks folder (default: ``tasks_dir()``).
        strict: Fail on a suite naming an unknown task (else leave that task out).

    Raises:
        TaskError: When the file is invalid or names an unknown task.
    """
    folder = tasks_dir(root)
    known = task_ids(root)
    suites: dict[str, list[str]] = {}
    for name, members in _read_suites(folder).items():
        where = f"{suites_path(folder)}: suite {name!r}"
        unknown = [m for m in members if m != "*" and ":" not in m and m not in known]
        if unknown and strict:
            msg = f"{where} names unknown task(s) {', '.join(unknown)}"
            raise TaskError(msg)
        ids: list[str] = []
        for member in members:
            if member in unknown:
                continue
            try:
                ids += _expand(member, folder, known, where)
            except (TaskError, UsageError) as error:
                if strict:
                    msg = f"{where}: {error}"
                    raise TaskError(msg) from None
        suites[name] = list(dict.fromkeys(ids))
    return suites


def suite_tasks(name: str, root: Path | None = None) -> list[str]:
    """The task ids of one named suite.

    Raises:
        UsageError: For an unknown suite (the message lists the known ones).
    """
    suites = load_suites(root)
    if name not in suites:
        msg = f"no suite {name!r}: choose from {', '.join(suites)}"
        raise UsageError(msg)
    return suites[name]


def _selectors(name_or_ids: str | Sequence[str]) -> list[str]:
    items = [name_or_ids] if isinstance(name_or_ids, str) else list(name_or_ids)
    return [part.strip() for item in items for part in item.split(",") if part.strip()]


def suite_ids(name_or_ids: str | Sequence[str], root: Path | None = None) -> list[str]:
    """The task ids a suite name, selector, task id, or list of them stands for.

    Args:
        name_or_ids: ``"smoke"``, ``"tag:auth"``, ``"probe:<id>"``, ``"kind:fix"``, a task
            id, or several (a list, or one comma-separated string).
        root: The tasks folder (default: ``tasks_dir()``).

    Returns:
        The union, in the order first named, without duplicates.

    Raises:
        UsageError: For a selector that matches nothing (the message says what exists).
    """
    folder = tasks_dir(root)
    selectors = _selectors(name_or_ids)
    if not selectors:
        msg = (
            "no suite given: name one (smoke, full), a tag:<tag>, probe:<id> or task id"
        )
        raise UsageError(msg)
    known = task_ids(root)
    named = _read_suites(folder)
    ids: list[str] = []
    for selector in selectors:
        if selector in named:
            ids += suite_tasks(selector, root)
        elif ":" in selector or selector in known:
            ids += _expand(selector, folder, known, "suite")
        else:
            msg = (
                f"no suite or task {selector!r}: choose a suite "
                f"({', '.join(named)}), tag:<tag>, probe:<id>, kind:<kind> or a task id"
            )
            raise UsageError(msg)
    return list(dict.fromkeys(ids))


def resolve_suite(
    name_or_ids: str | Sequence[str], root: Path | None = None
) -> list[Task]:
    """The tasks a suite name, selector, task id, or list of them stands for.

    The one place ``harness tasks validate`` and ``harness eval`` turn ``--suite`` into
    tasks (selectors: see this module's docstring).

    Raises:
        UsageError: For a selector that matches nothing.
        TaskError: When a chosen task's ``task.toml`` is invalid.
    """
    return [get_task(task_id, root) for task_id in suite_ids(name_or_ids, root)]
