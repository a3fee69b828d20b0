"""Finding inline switches in code, and making them inert, without running any tool."""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path

import pytest

from harness.scoring.checks.own_tests import score_summary
from harness.scoring.checks.pytest_results import read_report
from harness.scoring.checks.skipped_tests import skipped_tests
from harness.scoring.suppressions import (
    judged_copy,
    neutralise,
    noqa_codes,
    scan_file,
)
from tests.scoring.suppression_cases import CASES, Case

CODE_CASES = [case for case in CASES if case.check != "own_tests"]


def _kinds(text: str) -> list[tuple[str, int]]:
    return [(s.kind, s.line) for s in scan_file("x.py", textwrap.dedent(text)).switches]


@pytest.mark.parametrize("case", CODE_CASES, ids=[case.name for case in CODE_CASES])
def test_each_switch_is_found_where_it_is_and_its_twin_has_none(case: Case) -> None:
    assert [(s.kind, s.line) for s in scan_file(case.path, case.rigged).switches] == [
        (case.kind, case.line)
    ]
    assert scan_file(case.path, case.honest).switches == []


@pytest.mark.parametrize("case", CODE_CASES, ids=[case.name for case in CODE_CASES])
def test_an_inert_switch_keeps_every_line_and_column(case: Case) -> None:
    """Lines always (mypy's findings name lines); columns too, but for ``bool(...)``."""
    switches = scan_file(case.path, case.rigged).switches
    inert = neutralise(case.rigged, switches)
    widths = [len(line) for line in inert.split("\n")]
    if case.kind == "unchecked-branch":
        widths[case.line - 1] -= len("bool()")
    assert widths == [len(line) for line in case.rigged.split("\n")]
    assert scan_file(case.path, inert).switches == []
    ast.parse(inert)  # still Python


def test_exemptions_of_one_line_that_name_their_rule_are_not_switches() -> None:
    assert (
        _kinds('''
        """Doc."""
        from typing import TYPE_CHECKING

        import os  # noqa: F401 - re-exported
        import sys  # NOQA:F401,E501
        import re  # ruff: ignore[F401]
        import zlib  # isort: skip
        # isort: split
        X = [1,0,  0,1]  # fmt: skip
        Y: int = "a"  # type: ignore[assignment]
        Z: int = "a"  # type: ignore [assignment]  # noqa: E501
        if TYPE_CHECKING:
            pass
        ''')
        == []
    )


def test_switches_inside_strings_are_not_comments_except_for_mypy() -> None:
    """mypy reads ``# mypy:`` from raw lines, strings included; the others read comments."""
    text = '''
    NOTE = "# noqa  # fmt: off  # type: ignore"
    TEXT = """
    # mypy: ignore-errors
    # ruff: noqa
    """
    '''
    assert _kinds(text) == [("mypy-config", 4)]


def test_comments_of_a_file_that_does_not_tokenize_are_still_scanned() -> None:
    assert _kinds("x = (\n# ruff: noqa\n# mypy: ignore-errors\n") == [
        ("file-noqa", 2),
        ("mypy-config", 3),
    ]


def test_a_type_ignore_is_module_wide_only_before_the_first_statement() -> None:
    text = '''
    #!/usr/bin/env python
    # type: ignore[misc]
    """Doc."""  # type: ignore[misc]
    # type: ignore
    '''
    assert _kinds(text) == [
        ("type-ignore-module", 3),
        ("blanket-type-ignore", 5),
    ]


def test_one_comment_can_hold_a_switch_for_two_tools() -> None:
    assert _kinds("x = 1  # type: ignore  # noqa\n") == [
        ("blanket-noqa", 1),
        ("blanket-type-ignore", 1),
    ]


def test_no_type_check_is_found_by_name_attribute_and_alias() -> None:
    text = """
    import typing
    from typing import no_type_check as unchecked


    @typing.no_type_check
    def a(x): ...


    class B:
        @unchecked
        def b(self, x): ...
    """
    assert _kinds(text) == [("no-type-check", 6), ("no-type-check", 11)]
    dedented = textwrap.dedent(text)
    inert = neutralise(dedented, scan_file("x.py", dedented).switches)
    assert "#typing.no_type_check" in inert
    assert "    #unchecked" in inert


@pytest.mark.parametrize(
    ("comments", "codes"),
    [
        (["# noqa: S105 - a scheme name, not a secret"], {"S105"}),
        (["# noqa:E501,W291"], {"E501", "W291"}),
        (["# NOQA: F401 E402"], {"F401", "E402"}),
        (["# ruff: ignore[F401, E501]"], {"F401", "E501"}),
        (["# see below # noqa: B008"], {"B008"}),
        (["# noqa"], set()),  # blanket: names nothing
        (["# noqa: F"], set()),  # a prefix is no rule (ruff refuses it too)
        (["# noqa: f401"], set()),  # ruff's codes are upper case
        (["# ruff: noqa: F401"], set()),  # file-level: not a line's exemption
    ],
)
def test_a_line_is_exempt_only_from_the_codes_it_names(
    comments: list[str], codes: set[str]
) -> None:
    assert noqa_codes(comments) == codes


def test_the_judged_copy_is_the_pristine_one_unless_a_switch_is_made_inert(
    tmp_path: Path,
) -> None:
    pristine = tmp_path / "pristine"
    pristine.mkdir()
    (pristine / "a.py").write_text("import os  # noqa\n")
    (pristine / "b.py").write_text("# fmt: off\nX = 1\n")
    ruff = judged_copy(pristine, ["a.py", "b.py"], "ruff", tmp_path / "ruff")
    # ruff refuses noqa comments itself (--ignore-noqa): nothing to rewrite.
    assert ruff.root == pristine
    assert [s.kind for s in ruff.switches] == ["blanket-noqa"]
    assert ruff.comments["a.py"] == {1: ["# noqa"]}
    fmt = judged_copy(pristine, ["a.py", "b.py"], "format", tmp_path / "format")
    assert fmt.root == tmp_path / "format"
    assert (fmt.root / "b.py").read_text() == "# xxxx xxx\nX = 1\n"
    assert (pristine / "b.py").read_text() == "# fmt: off\nX = 1\n"
    [finding] = fmt.findings()
    assert (finding.code, finding.path, finding.line) == (
        "suppression:fmt-off",
        "b.py",
        1,
    )


def test_skipped_and_xfailed_tests_count_as_not_passed_in_own_tests(
    tmp_path: Path,
) -> None:
    events = [
        {"event": "report", "nodeid": "t::ok", "when": "call", "outcome": "passed"},
        {"event": "report", "nodeid": "t::skip", "when": "setup", "outcome": "skipped",
         "message": "Skipped: later"},
        {"event": "report", "nodeid": "t::xf", "when": "call", "outcome": "skipped",
         "xfail": True, "message": "xfail: known"},
        {"event": "report", "nodeid": "t::xp", "when": "call", "outcome": "passed",
         "xfail": True, "message": "xfail: known"},
        {"event": "finish", "exitstatus": 0},
    ]  # fmt: skip
    report = tmp_path / "report.jsonl"
    report.write_text("".join(json.dumps(event) + "\n" for event in events))
    summary = read_report(report)
    assert summary.outcomes == {
        "t::ok": "passed",
        "t::skip": "skipped",
        "t::xf": "xfailed",
        "t::xp": "passed",
    }
    assert summary.messages["t::xf"] == "xfail: known"
    assert (summary.executed, summary.disabled) == (2, 2)
    assert summary.pass_rate() == 1.0  # acceptance: trusted tests, skips not counted
    assert score_summary(summary) == 0.5  # own tests


def test_branches_that_only_run_when_type_checking_is_false_are_found() -> None:
    text = """
    import typing
    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from os import PathLike
    if TYPE_CHECKING:
        X = 1
    else:
        X = 2
    if not typing.TYPE_CHECKING and X:
        pass
    """
    assert _kinds(text) == [("unchecked-branch", 7), ("unchecked-branch", 11)]
    dedented = textwrap.dedent(text)
    inert = neutralise(dedented, scan_file("x.py", dedented).switches)
    assert "if TYPE_CHECKING:\n    from os" in inert  # alone: left as written
    assert "if bool(TYPE_CHECKING):\n    X = 1" in inert
    assert "if not bool(typing.TYPE_CHECKING) and X:" in inert
    assert scan_file("x.py", inert).switches == []


def test_carriage_returns_end_lines_as_they_do_for_the_tools() -> None:
    """A lone CR ends a line for ruff and Python: a switch after one is still found."""
    text = "import os\r# isort: skip_file\r\n# fmt: off\rX = 1\n"
    assert [(s.kind, s.line) for s in scan_file("x.py", text).switches] == [
        ("isort-skip-file", 2),
        ("fmt-off", 3),
    ]
    inert = neutralise(text, scan_file("x.py", text).switches)
    assert inert == "import os\r# xxxxxx xxxxxxxxx\r\n# xxxx xxx\rX = 1\n"


def test_the_tests_of_a_module_pytest_skipped_whole_are_named_from_its_file() -> None:
    files = {
        "tests/test_a.py": b"def test_one(): ...\nasync def test_two(): ...\n"
        b"class TestC:\n    def test_three(self): ...\n    def helper(self): ...\n"
        b"def helper(): ...\n",
        "tests/sub/test_b.py": b"def test_four(): ...\n",
        "tests/sub/helpers.py": b"def test_not_a_test_module(): ...\n",
        "tests/test_empty.py": b"X = 1\n",
    }
    names = list(files)
    assert skipped_tests("tests/test_a.py", names, files.get) == [
        "tests/test_a.py::test_one",
        "tests/test_a.py::test_two",
        "tests/test_a.py::TestC::test_three",
    ]
    assert skipped_tests("tests/sub", names, files.get) == [
        "tests/sub/test_b.py::test_four"
    ]
    assert skipped_tests("tests/test_empty.py", names, files.get) == [
        "tests/test_empty.py"
    ]
