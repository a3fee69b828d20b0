"""A pytest plugin that streams each test's outcome and every warning as JSON lines.

Loaded with ``-p scorer_pytest_report --scorer-report=PATH``, so it is registered before
any conftest. A project's conftest is trusted code that runs in the same process and could
rewrite outcomes; two things make that harder and visible:

* the innermost wrapper around each test's call records whether the test raised, so a
  report turned into ``passed`` afterwards (by a conftest's ``pytest_runtest_makereport``,
  say) is written as ``overridden`` and counted as failed;
* once collection is done, every plugin module of the project (conftests and the modules
  they load) that implements a hook able to change or hide results is listed.

It also puts the project's import roots (``--scorer-pythonpath``, not the ini's ``pythonpath``,
which pytest applies before it loads its plugins) on ``sys.path`` once every plugin is loaded
and just before the first conftest, and proves its place: its first line names its file and
every module of the project imported by then (none, when nothing of the project ran before
the tests: a ``sitecustomize``, a ``.pth`` file or a shadowed module would show there). The
tests' own child processes get the roots on ``PYTHONPATH``.

Standard library and pytest only.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections.abc import Generator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from _pytest.reports import CollectReport, TestReport

_MAX_TEXT = 2000
_stream: IO[str] | None = None
#: Hooks through which a plugin can change, hide or fake what a test did.
REPORTING_HOOKS = (
    "pytest_runtest_makereport",
    "pytest_runtest_logreport",
    "pytest_report_teststatus",
    "pytest_collectreport",
    "pytest_make_collect_report",
    "pytest_runtest_protocol",
    "pytest_runtest_call",
    "pytest_pyfunc_call",
    "pytest_runtest_logfinish",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_report_to_serializable",
    "pytest_report_from_serializable",
)
#: Test ids whose call raised (before any other plugin could see or change it).
_raised: set[str] = set()
#: ``module=path`` of the project's modules imported before its first conftest.
_ran_first: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--scorer-report`` and ``--scorer-pythonpath``."""
    parser.addoption(
        "--scorer-report", default=None, help="JSON-lines file for the scorer"
    )
    parser.addoption(
        "--scorer-pythonpath",
        action="append",
        default=[],
        help="a folder put on sys.path before the first conftest (the project's roots)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    """Note what of the project ran so far (nothing), then put its import roots on the path."""
    root = str(early_config.rootpath) + "/"
    for name, module in list(sys.modules.items()):
        where = str(getattr(module, "__file__", None) or "")
        if where.startswith(root):
            _ran_first.append(f"{name}={where.removeprefix(root)}")
    roots = list(getattr(early_config.known_args_namespace, "scorer_pythonpath", []))
    sys.path[:0] = roots
    if roots:  # the tests' own child processes import the project as the tests do
        inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        os.environ["PYTHONPATH"] = os.pathsep.join([*inherited, *roots])


def _emit(event: dict[str, Any]) -> None:
    if _stream is not None:
        _stream.write(json.dumps(event, sort_keys=True) + "\n")
        _stream.flush()


def pytest_configure(config: pytest.Config) -> None:
    """Open the report file; say which plugin writes it and what of the project ran first."""
    global _stream
    path = config.getoption("--scorer-report")
    if path:
        _stream = Path(path).open("a", encoding="utf-8")  # noqa: SIM115 - closed at unconfigure
    _emit({"event": "plugin", "file": __file__, "project_modules": sorted(_ran_first)})


def pytest_unconfigure() -> None:
    """Close the report file."""
    global _stream
    if _stream is not None:
        _stream.close()
        _stream = None


def _short(report: TestReport | CollectReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        text = f"{crash.message}"
    else:
        text = str(report.longrepr or "")
        lines = [line for line in text.splitlines() if line.strip()]
        text = "\n".join(lines[-8:])
    return text[:_MAX_TEXT]


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """Record, innermost, whether the test itself raised (skips and xfails aside)."""
    try:
        return (yield)
    except (pytest.skip.Exception, pytest.xfail.Exception):
        raise
    except BaseException:
        _raised.add(item.nodeid)
        raise


def pytest_collection_finish(session: pytest.Session) -> None:
    """List the project's plugin modules that implement reporting hooks."""
    root = str(session.config.rootpath)
    for plugin in session.config.pluginmanager.get_plugins():
        where = str(getattr(plugin, "__file__", "") or "")
        if not where.startswith(root + "/"):
            continue
        hooks = sorted(
            name for name in REPORTING_HOOKS if callable(getattr(plugin, name, None))
        )
        if hooks:
            _emit(
                {
                    "event": "reporting_hook",
                    "nodeid": where.removeprefix(root + "/"),
                    "hooks": hooks,
                }
            )


def pytest_runtest_logstart(nodeid: str) -> None:
    """Record that a test started (so a hang can be attributed)."""
    _emit({"event": "start", "nodeid": nodeid})


def pytest_runtest_logreport(report: TestReport) -> None:
    """Record each phase's outcome."""
    outcome: str = report.outcome
    if report.when == "call" and outcome == "passed" and report.nodeid in _raised:
        outcome = "overridden"
    event: dict[str, Any] = {
        "event": "report",
        "nodeid": report.nodeid,
        "when": report.when,
        "outcome": outcome,
        "duration": round(report.duration, 4),
    }
    if outcome == "overridden":
        event["message"] = (
            "the test raised, but a plugin of the project reported it passed"
        )
    elif report.outcome == "failed":
        event["message"] = _short(report)
    if report.outcome == "skipped" and isinstance(report.longrepr, tuple):
        event["message"] = str(report.longrepr[2])[:_MAX_TEXT]
    if hasattr(report, "wasxfail"):
        event["xfail"] = True
        if "message" not in event:
            event["message"] = f"xfail: {report.wasxfail}"[:_MAX_TEXT]
    _emit(event)


def pytest_collectreport(report: CollectReport) -> None:
    """Record collection errors (a test module that does not import) and skipped modules."""
    if report.failed:
        _emit(
            {
                "event": "collect_error",
                "nodeid": report.nodeid,
                "message": _short(report),
            }
        )
    elif (
        report.skipped
    ):  # pytest.skip(allow_module_level=True), importorskip at the top
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        _emit(
            {
                "event": "collect_skip",
                "nodeid": report.nodeid,
                "message": str(reason)[:_MAX_TEXT],
            }
        )


def pytest_warning_recorded(
    warning_message: warnings.WarningMessage, nodeid: str
) -> None:
    """Record every warning with its category."""
    category = warning_message.category
    _emit(
        {
            "event": "warning",
            "category": category.__name__,
            "deprecation": issubclass(
                category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)
            ),
            "message": str(warning_message.message)[:_MAX_TEXT],
            "filename": str(warning_message.filename),
            "lineno": warning_message.lineno,
            "nodeid": nodeid,
        }
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Record the final status and how many tests were collected."""
    _emit(
        {
            "event": "finish",
            "exitstatus": int(exitstatus),
            "collected": session.testscollected,
        }
    )
