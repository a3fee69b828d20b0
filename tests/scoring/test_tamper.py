"""A project rigs its own score: every attack file is now inert and scores the check 0.

Each fixture is the clean mini project made to fail honestly (a failing test, or type
errors) plus one attack file that takes the judging tool's place or runs before it. The
tool's own figures prove the defence (the failure is still seen: the attack ran nowhere);
the score and the ``tamper:`` finding prove the report. Before the fix the attacks marked
"raised" below turned the failure into a pass.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from harness.scoring.context import AcceptanceSpec, ServiceSpec
from tests.scoring.conftest import MINI, Scorer

pytestmark = pytest.mark.slow

#: Rewrites every failed outcome the harness's plugin writes as passed (json.dumps patched).
PAYLOAD = '''
    """Rewrite every failed test outcome as passed in what the scorer's plugin writes."""

    import json
    from typing import Any

    _dumps = json.dumps


    def _passed(obj: Any, **kwargs: Any) -> str:  # noqa: ANN401
        """Serialise ``obj``, turning a failure into a pass."""
        if isinstance(obj, dict) and obj.get("outcome") == "failed":
            obj = {key: value for key, value in obj.items() if key != "message"}
            obj["outcome"] = "passed"
        return _dumps(obj, **kwargs)


    json.dumps = _passed
'''
#: A standard-library module replaced by the project's file: the real one loaded, then patched.
SHADOW = '''
    """The standard library's {name}, loaded for real, and json.dumps rigged."""

    import sys
    from importlib.machinery import PathFinder
    from importlib.util import module_from_spec

    _path = [p for p in sys.path if p and not p.startswith("/work")]
    _spec = PathFinder.find_spec("{name}", _path)
    if _spec is None or _spec.loader is None:
        raise ImportError("{name}")
    _real = module_from_spec(_spec)
    sys.modules["{name}"] = _real
    _spec.loader.exec_module(_real)
    {payload}
'''
#: ``python -m pytest`` from /work ran the project's pytest.py: it writes a report of passes.
FAKE_PYTEST = '''
    """Stand-in for pytest: writes the scorer's report with every test passed."""

    import json
    import sys
    from pathlib import Path

    _report = Path(sys.argv[sys.argv.index("--scorer-report") + 1])
    with _report.open("a", encoding="utf-8") as stream:
        for nodeid in ("tests/test_main.py::test_health", "tests/test_main.py::test_wrong"):
            stream.write(json.dumps({{"event": "start", "nodeid": nodeid}}) + "\\n")
            for when in ("setup", "call", "teardown"):
                event = {{"event": "report", "nodeid": nodeid, "when": when,
                         "outcome": "passed", "duration": 0.0}}
                stream.write(json.dumps(event) + "\\n")
        stream.write(json.dumps({{"event": "finish", "exitstatus": 0, "collected": 2}}) + "\\n")
'''
#: The harness's plugin replaced: every test reported passed.
FAKE_PLUGIN = '''
    """Stand-in for the harness's pytest plugin: every test reported passed."""

    import json
    from pathlib import Path

    import pytest

    _out: list[Path] = []


    def pytest_addoption(parser: pytest.Parser) -> None:
        parser.addoption("--scorer-report")


    def pytest_configure(config: pytest.Config) -> None:
        _out.append(Path(config.getoption("--scorer-report")))


    def pytest_runtest_logreport(report: pytest.TestReport) -> None:
        event = {{"event": "report", "nodeid": report.nodeid, "when": report.when,
                 "outcome": "passed", "duration": 0.0}}
        with _out[0].open("a") as stream:
            stream.write(json.dumps(event) + "\\n")


    def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
        with _out[0].open("a") as stream:
            stream.write(json.dumps({{"event": "finish", "exitstatus": 0}}) + "\\n")
'''
PTH = (
    "import json; _d = json.dumps; json.dumps = lambda o, **k: _d("
    '{**o, "outcome": "passed"} if isinstance(o, dict) and o.get("outcome") == "failed"'
    " else o, **k)\n"
)
MYPY_SUCCESS = '''
    """Stand-in for mypy: reports success whatever the code."""

    import sys

    sys.stdout.write("Success: no issues found in 1 source file\\n")
'''
TYPE_ERRORS = '''


    def count_items() -> int:
        """Count the stored items (with type errors)."""
        total: int = "zero"
        label: str = 1
        flag: bool = "yes"
        size: float = "big"
        return str(total) + label + str(flag) + str(size)
'''
FAILING_TEST = """


    async def test_wrong() -> None:
        assert 1 + 1 == 3
"""


def _dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def _mini(tmp_path: Path, rel: str, added: str) -> Path:
    """The mini project with ``added`` appended to one of its files."""
    project = tmp_path / "project"
    if not project.exists():
        shutil.copytree(MINI / "project", project)
    with (project / rel).open("a") as code:
        code.write("\n\n" + _dedent(added))
    return project


def _failing(tmp_path: Path) -> Path:
    """The mini project with one failing test of its own (2 of 3 pass)."""
    return _mini(tmp_path, "tests/test_main.py", FAILING_TEST)


def _mistyped(tmp_path: Path) -> Path:
    """The mini project with five type errors."""
    return _mini(tmp_path, "src/mini/main.py", TYPE_ERRORS)


def _shadow(name: str) -> str:
    payload = textwrap.indent(_dedent(PAYLOAD).split('"""\n', 1)[1], "    ")
    return SHADOW.format(name=name, payload=payload.lstrip())


# (attack file, its text, the finding's code, whether it raised own_tests before the fix)
OWN_TESTS_ATTACKS = [
    ("sitecustomize.py", PAYLOAD, "tamper:shadows-startup", "raised"),
    ("src/sitecustomize.py", PAYLOAD, "tamper:shadows-startup", "raised"),
    ("usercustomize.py", PAYLOAD, "tamper:shadows-startup", "inert"),
    ("rig.pth", PTH, "tamper:shadows-startup", "inert"),
    ("json.py", _shadow("json"), "tamper:shadows-stdlib", "raised"),
    ("typing.py", _shadow("typing"), "tamper:shadows-stdlib", "raised"),
    ("pytest.py", FAKE_PYTEST.format(), "tamper:shadows-tool", "raised"),
    ("pytest_timeout.py", PAYLOAD, "tamper:shadows-tool", "raised"),
    (
        "scorer_pytest_report.py",
        FAKE_PLUGIN.format(),
        "tamper:shadows-harness",
        "raised",
    ),
]


@pytest.mark.parametrize(
    ("attack", "text", "code", "before"),
    OWN_TESTS_ATTACKS,
    ids=[attack for attack, *_ in OWN_TESTS_ATTACKS],
)
def test_own_tests_attack_is_inert_and_scores_zero(
    score: Scorer, tmp_path: Path, attack: str, text: str, code: str, before: str
) -> None:
    project = _failing(tmp_path)
    (project / attack).write_text(_dedent(text) if attack.endswith(".py") else text)
    own = score(project, checks=["own_tests"]).check("own_tests")
    # The defence: the failing test is still seen failing (the attack ran nowhere).
    assert (own.figures["passed"], own.figures["failed"]) == (2, 1), (before, own)
    # The report: tampering, scored 0, naming the file.
    assert own.score == 0.0
    assert own.status == "fail"
    assert own.figures["tamper"] >= 1
    tamper = [f for f in own.findings if f.code.startswith("tamper:")]
    assert (tamper[0].code, tamper[0].path) == (code, attack)
    assert own.reason is not None
    assert own.reason.startswith(f"tampering: {attack} ")


def test_a_projects_mypy_py_no_longer_replaces_mypy(
    score: Scorer, tmp_path: Path
) -> None:
    project = _mistyped(tmp_path)
    (project / "mypy.py").write_text(_dedent(MYPY_SUCCESS))
    mypy = score(project, checks=["mypy"]).check("mypy")
    assert mypy.figures["errors"] == 5, (
        mypy
    )  # the real mypy ran (the stand-in said Success)
    assert mypy.score == 0.0
    [tamper] = [f for f in mypy.findings if f.code.startswith("tamper:")]
    assert (tamper.code, tamper.path) == ("tamper:shadows-tool", "mypy.py")


def test_the_issues_two_lint_clean_files_no_longer_raise_the_score(
    score: Scorer, tmp_path: Path
) -> None:
    """Issue [N] finding 2: ``mypy.py`` + ``sitecustomize.py`` took 0.825 to 1.0 here."""
    _mistyped(tmp_path)
    project = _failing(tmp_path)
    honest = score(project)
    (project / "mypy.py").write_text(_dedent(MYPY_SUCCESS))
    (project / "sitecustomize.py").write_text(_dedent(PAYLOAD))
    rigged = score(project)
    # The two files are lint-clean: they cost nothing in ruff or format.
    for name in ("ruff", "format"):
        assert rigged.check(name).score == 1.0, rigged.check(name)
    assert rigged.check("mypy").figures["errors"] == 5
    assert rigged.check("own_tests").figures["failed"] == 1
    assert rigged.check("mypy").score == rigged.check("own_tests").score == 0.0
    assert honest.check("mypy").score < 0.2
    assert honest.check("own_tests").score == pytest.approx(2 / 3, abs=1e-3)
    assert rigged.overall < honest.overall < 0.9


COUNTER = '''
    """A fake upstream the tests read back: how many times the app called it."""

    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    CALLS: list[str] = []


    async def ping(request: Request) -> JSONResponse:
        CALLS.append("ping")
        return JSONResponse({"pong": True})


    async def calls(request: Request) -> JSONResponse:
        return JSONResponse({"count": len(CALLS)})


    app = Starlette(routes=[Route("/ping", ping), Route("/_control/calls", calls)])
'''
COUNTER_TEST = """
    import httpx


    def test_the_app_calls_the_service_once(
        client: httpx.Client, services: dict[str, httpx.Client]
    ) -> None:
        assert client.post("/work").status_code == 200
        assert services["counter"].get("/_control/calls").json()["count"] == 1
"""
CHEAT = '''
    """Never calls the service: rewrites the fake's call log from inside its process."""

    import gc
    from collections.abc import AsyncIterator
    from contextlib import asynccontextmanager

    from fastapi import FastAPI


    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        for found in gc.get_objects():  # the fake's module globals, if in this process
            if isinstance(found, dict) and isinstance(found.get("CALLS"), list):
                found["CALLS"].append("forged")
        yield


    app = FastAPI(lifespan=lifespan)


    @app.post("/work")
    async def work() -> dict[str, bool]:
        return {"ok": True}
'''
HONEST = '''
    """Calls the service once per request, on its port of the sandbox's loopback."""

    import os

    import httpx
    from fastapi import FastAPI

    app = FastAPI()


    @app.post("/work")
    async def work() -> dict[str, bool]:
        async with httpx.AsyncClient() as http:
            response = await http.get(f"{os.environ['COUNTER_URL']}/ping")
        return {"ok": response.json()["pong"]}
'''


@pytest.mark.parametrize(
    ("app", "passes"), [(CHEAT, False), (HONEST, True)], ids=["cheat", "honest"]
)
def test_the_app_cannot_reach_into_a_fake_service(
    score: Scorer, tmp_path: Path, app: str, passes: bool
) -> None:
    acceptance = tmp_path / "acceptance"
    (acceptance / "services").mkdir(parents=True)
    (acceptance / "services/counter.py").write_text(_dedent(COUNTER))
    (acceptance / "test_counter.py").write_text(_dedent(COUNTER_TEST))
    project = tmp_path / "project"
    project.mkdir()
    (project / "main.py").write_text(_dedent(app))
    (project / "pyproject.toml").write_text(
        '[project]\nname = "counter"\ndependencies = ["fastapi", "httpx"]\n\n'
        '[tool.fastapi]\nentrypoint = "main:app"\n'
    )
    spec = AcceptanceSpec(
        tests_dir=acceptance,
        services=[ServiceSpec(name="counter", file="services/counter.py", port=9150)],
        env={"COUNTER_URL": "http://127.0.0.1:9150"},
    )
    check = score(project, checks=["acceptance"], acceptance=spec).check("acceptance")
    assert (check.figures["passed"], check.figures["failed"]) == (passes, not passes)
