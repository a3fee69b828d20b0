"""What counts as a project file taking a judging tool's place (no sandbox: the file scan)."""

from __future__ import annotations

import json
from pathlib import Path

from harness.environment import EvaluationEnvironment
from harness.project import load_project
from harness.scoring.checks.pytest_results import read_report
from harness.scoring.results import CheckResult, Finding
from harness.scoring.tamper import flag_tampering, pytest_pythonpath, tamper_findings

APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"


def _project(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
    return root


def _found(
    check: str, root: Path, environment: EvaluationEnvironment
) -> set[tuple[str, str]]:
    return {
        (finding.code.removeprefix("tamper:shadows-"), finding.path or "")
        for finding in tamper_findings(check, load_project(root), environment)
    }


def test_shadowing_is_decided_per_tool_and_per_folder_on_its_path(
    tmp_path: Path, environment: EvaluationEnvironment
) -> None:
    root = _project(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\n',
            "app/__init__.py": "",
            "app/main.py": APP,
            "app/json.py": "",  # app.json: not a top-level module
            "jwt.py": "",  # a third-party name no judging tool is made of
            "alembic/env.py": "",  # a namespace folder never wins over a module
            "conftest.py": "",  # the project's own, legitimately
            "serve_app.py": "",  # a harness module, but no judging tool imports it
            "secrets.py": "",
            "typing_extensions.py": "",
            "pytest.py": "",
            "mypy/__init__.py": "",
            "scorer_pytest_report.py": "",
            "rig.pth": "import os\n",
            "json.cpython-312-x86_64-linux-gnu.so": b"\x7fELF",
            "tests/test_api.py": "def test_x() -> None:\n    pass\n",
            "tests/queue.py": "",  # tests/ has no __init__.py: pytest puts it on the path
            "scripts/calendar.py": "",  # on no tool's path
        },
    )
    assert _found("mypy", root, environment) == {
        ("stdlib", "secrets.py"),
        ("stdlib", "json.cpython-312-x86_64-linux-gnu.so"),
        ("tool", "typing_extensions.py"),
        ("tool", "mypy/__init__.py"),
        ("startup", "rig.pth"),
    }
    assert _found("own_tests", root, environment) == {
        ("stdlib", "secrets.py"),
        ("stdlib", "json.cpython-312-x86_64-linux-gnu.so"),
        ("stdlib", "tests/queue.py"),
        ("tool", "typing_extensions.py"),
        ("tool", "pytest.py"),
        ("harness", "scorer_pytest_report.py"),
        ("startup", "rig.pth"),
    }
    for check in ("ruff", "format", "acceptance", "dependencies", "conformance"):
        assert tamper_findings(check, load_project(root), environment) == []


def test_a_package_of_tests_and_a_src_package_hide_nothing(
    tmp_path: Path, environment: EvaluationEnvironment
) -> None:
    root = _project(
        tmp_path,
        {
            "src/__init__.py": "",
            "src/main.py": APP,
            "src/email/__init__.py": "",  # src.email, not email
            "tests/__init__.py": "",
            "tests/test_api.py": "def test_x() -> None:\n    pass\n",
            "tests/queue.py": "",  # tests.queue, not queue
        },
    )
    assert _found("mypy", root, environment) == set()
    assert _found("own_tests", root, environment) == set()


def test_the_projects_own_pythonpath_is_a_folder_on_pytests_path(
    tmp_path: Path, environment: EvaluationEnvironment
) -> None:
    root = _project(
        tmp_path,
        {
            "pyproject.toml": '[tool.pytest.ini_options]\npythonpath = ["lib", "."]\n',
            "main.py": APP,
            "lib/typing.py": "",
        },
    )
    project = load_project(root)
    assert pytest_pythonpath(project) == ["/work", "/work/lib"]
    assert _found("own_tests", root, environment) == {("stdlib", "lib/typing.py")}
    assert _found("mypy", root, environment) == set()


def _outcome(*findings: Finding) -> CheckResult:
    return CheckResult(
        name="own_tests",
        status="fail",
        score=0.67,
        duration_s=1.0,
        figures={"passed": 2, "failed": 1},
        findings=list(findings),
        reason="2/3 tests passed",
    )


def test_tampering_scores_zero_and_keeps_what_the_tool_found() -> None:
    failed = Finding(code="failed", message="assert 2 == 3", path="tests/test_x.py::t")
    shadow = Finding(
        code="tamper:shadows-stdlib", message="json.py shadows `json`", path="json.py"
    )
    assert flag_tampering(_outcome(failed), []) == _outcome(failed)
    flagged = flag_tampering(_outcome(failed), [shadow])
    assert (flagged.status, flagged.score, flagged.figures["tamper"]) == (
        "fail",
        0.0,
        1,
    )
    assert flagged.findings == [shadow, failed]
    assert flagged.figures["failed"] == 1
    assert flagged.reason == (
        "tampering: json.py shadows `json`; scored 0, rename or remove it "
        "(the tool found: 2/3 tests passed)"
    )
    # A tamper finding the check itself made (from the plugin's report) counts as well.
    ran_first = Finding(code="tamper:ran-before-plugin", message="sitecustomize ran")
    assert flag_tampering(_outcome(failed, ran_first), []).score == 0.0


def _report(tmp_path: Path, *events: dict[str, object]) -> Path:
    path = tmp_path / "report.jsonl"
    path.write_text("".join(json.dumps(event) + "\n" for event in events))
    return path


def test_a_report_not_written_by_the_harness_plugin_alone_is_tampering(
    tmp_path: Path,
) -> None:
    finish = {"event": "finish", "exitstatus": 0}
    plugin = {"event": "plugin", "file": "/harness/scorer_pytest_report.py"}
    clean = read_report(_report(tmp_path, {**plugin, "project_modules": []}, finish))
    assert clean.plugin_findings() == []
    missing = read_report(_report(tmp_path, finish))
    assert [f.code for f in missing.plugin_findings()] == ["tamper:plugin-unverified"]
    other = read_report(_report(tmp_path, {**plugin, "file": "/work/x.py"}, finish))
    assert [f.code for f in other.plugin_findings()] == ["tamper:plugin-replaced"]
    early = read_report(
        _report(
            tmp_path,
            {**plugin, "project_modules": ["sitecustomize=sitecustomize.py"]},
            finish,
        )
    )
    [ran] = early.plugin_findings()
    assert (ran.code, ran.path) == ("tamper:ran-before-plugin", "sitecustomize.py")
