"""harness eval's options: flags over [tool.harness] defaults, and one-line errors."""

from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.run.config import build_config
from harness.run.prepare import split_delivery


def _pyproject(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text(
        f"[project]\nname = 'x'\n\n[tool.harness]\n{body}", encoding="utf-8"
    )
    return path


def test_flags_win_over_project_defaults(tmp_path):
    path = _pyproject(tmp_path, 'model = "sim"\nepochs = 3\ntasks = ["smoke"]\n')
    config = build_config({"epochs": 5, "solver": None}, path)
    assert (config.model, config.epochs, config.tasks, config.solver) == (
        "sim",
        5,
        ["smoke"],
        "oneshot",
    )


@pytest.mark.parametrize(
    ("legacy", "solver"),
    [
        ({"mode": "oneshot"}, "oneshot"),
        ({"mode": "agent"}, "loop"),
        ({"agent": "claude-code"}, "claude-code"),
        ({"agent": "codex", "mode": "agent"}, "codex"),
        ({"agent": "builtin", "mode": "agent"}, "loop"),
    ],
)
def test_the_old_mode_and_agent_keys_name_one_solver(tmp_path, legacy, solver):
    body = "".join(f'{key} = "{value}"\n' for key, value in legacy.items())
    path = _pyproject(tmp_path, f'model = "sim"\n{body}')
    assert build_config({}, path).solver == solver
    assert (
        build_config({"model": "sim", **legacy}, tmp_path / "x.toml").solver == solver
    )


def test_an_unknown_default_is_named_not_ignored(tmp_path):
    path = _pyproject(tmp_path, "epoch = 3\n")
    with pytest.raises(UsageError, match=r"unknown key\(s\) epoch: use "):
        build_config({"model": "sim"}, path)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({}, "no model: give --model"),
        ({"model": "sim", "epochs": 0}, "invalid option epochs"),
        (
            {"model": "sim", "solver": "chat"},
            "invalid option solver: .*unknown solver 'chat'",
        ),
        ({"model": "sim", "agent": "codex", "mode": "oneshot"}, "use --solver codex"),
        ({"model": "sim", "agent": "aider"}, "unknown agent 'aider'"),
    ],
)
def test_bad_options_are_one_line(tmp_path, flags, message):
    with pytest.raises(UsageError, match=message) as caught:
        build_config(flags, tmp_path / "absent.toml")
    assert "\n" not in str(caught.value)


def test_a_variant_may_fix_its_delivery():
    assert split_delivery("path:skill/x@on-demand") == ("path:skill/x", "on-demand")
    assert split_delivery("a=path:skill/x@inline") == ("a=path:skill/x", "inline")
    assert split_delivery("path:skill/x@v2") == ("path:skill/x@v2", None)
    assert split_delivery("none") == ("none", None)
