"""harness eval's options: flags over [tool.harness] defaults, and one-line errors."""

from pathlib import Path

import pytest

from harness.errors import UsageError
from harness.models.sim import SimSettings
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


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        # --sim with another model would be ignored: the planted effect would vanish
        (
            {"model": "reference", "sim": ["skill=0.9"]},
            r"--sim only applies to --model sim, not --model reference: did you mean "
            r"--model sim\?",
        ),
        ({"model": "openai:m", "sim_empty": 0.1}, "--sim-empty only applies"),
        # a model that calls no API ignores every API option
        (
            {"model": "sim", "temperature": 0.2, "max_tokens": 10},
            r"--model sim calls no model API, so --temperature, --max-tokens would be "
            r"ignored",
        ),
        ({"model": "reference", "base_url": "http://x"}, "--base-url would be ignored"),
        ({"model": "replay:r1", "cache": False}, "--no-cache would be ignored"),
        ({"model": "sim", "max_cost_usd": 1.0}, "--max-cost would be ignored"),
        (
            {"model": "sim", "score": False, "score_slots": 2},
            "--score-slots has no effect with --no-score",
        ),
        (
            {
                "model": "sim",
                "delivery": "on-demand",
                "variants": ["none", "a=none", "s=path:skill/x@inline"],
            },
            "--delivery applies to a skill variant without its own",
        ),
    ],
)
def test_options_that_would_be_ignored_are_refused(tmp_path, flags, message):
    with pytest.raises(UsageError, match=message) as caught:
        build_config(flags, tmp_path / "absent.toml")
    assert "\n" not in str(caught.value)


def test_options_that_apply_are_accepted(tmp_path):
    config = build_config(
        {"model": "openai:m", "temperature": 0.2, "base_url": "http://x"},
        tmp_path / "absent.toml",
    )
    assert config.temperature == 0.2
    variants = ["none", "path:skill/x", "s=path:skill/y@inline"]
    config = build_config(
        {"model": "sim", "delivery": "on-demand", "variants": variants},
        tmp_path / "absent.toml",
    )
    assert config.delivery == "on-demand"
    assert build_config({"model": "sim", "sim": ["a=1"]}, tmp_path / "x.toml").sim


def test_project_defaults_are_not_refused_for_another_model(tmp_path):
    # [tool.harness] serves many runs: its API options stay quiet under --model sim.
    path = _pyproject(tmp_path, 'model = "openai:m"\ntemperature = 0.3\n')
    assert build_config({"model": "sim"}, path).model == "sim"


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("path:skill/x@ondemand", "@on-demand"),
        ("a=path:skill/x@inlne", "@inline"),
        ("pkg:fastapi/.agents/skills/fastapi@on_demand", "@on-demand"),
    ],
)
def test_a_misspelt_delivery_says_did_you_mean(text, meant):
    with pytest.raises(UsageError, match=f"unknown delivery .*did you mean {meant}"):
        split_delivery(text)


def test_a_sim_arm_that_no_variant_has_is_refused():
    settings = SimSettings.parse(["skil=0.9", "none=0.5"])
    with pytest.raises(
        UsageError, match=r"no variant is labelled skil; did you mean skill"
    ):
        settings.check_arms(["none", "skill"])
    SimSettings.parse(["skill=0.9"]).check_arms(["none", "skill"])
