"""`harness install`: every agent, project and user scope, in a temporary home and project."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from harness.errors import UsageError
from harness.install import AGENTS, MANIFEST, detect_agents, install

ROOT = Path(__file__).resolve().parents[2]
GOOD = ROOT / "tests" / "skill" / "fixtures" / "good-skill"
SKILL_FILES = ["SKILL.md", "assets/template.txt", "references/guide.md"]

#: (agent, scope) -> (skill folder, rule file or None), relative to the project or home.
EXPECTED = {
    ("claude-code", "project"): (".claude/skills/good-skill", None),
    ("claude-code", "user"): (".claude/skills/good-skill", None),
    ("codex", "project"): (".agents/skills/good-skill", None),
    ("codex", "user"): (".agents/skills/good-skill", None),
    ("cursor", "project"): (
        ".cursor/skills/good-skill",
        ".cursor/rules/good-skill.mdc",
    ),
    ("cursor", "user"): (".cursor/skills/good-skill", None),
    (
        "copilot",
        "project",
    ): (".github/skills/good-skill", ".github/instructions/good-skill.instructions.md"),
    (
        "copilot",
        "user",
    ): (
        ".copilot/skills/good-skill",
        ".copilot/instructions/good-skill.instructions.md",
    ),
    ("gemini", "project"): (".gemini/skills/good-skill", None),
    ("gemini", "user"): (".gemini/skills/good-skill", None),
    ("opencode", "project"): (".opencode/skills/good-skill", None),
    ("opencode", "user"): (".config/opencode/skills/good-skill", None),
    ("windsurf", "project"): (
        ".agents/skills/good-skill",
        ".windsurf/rules/good-skill.md",
    ),
    ("windsurf", "user"): (".agents/skills/good-skill", None),
    ("agents-md", "project"): (".agents/skills/good-skill", "AGENTS.md"),
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def front_matter(text: str) -> dict[str, object]:
    loaded = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(loaded, dict)
    return loaded


def test_every_agent_is_covered() -> None:
    assert {agent for agent, _ in EXPECTED} == set(AGENTS)


@pytest.mark.parametrize(("agent", "scope"), sorted(EXPECTED))
def test_install_is_idempotent_and_uninstall_leaves_nothing(
    agent: str, scope: str, home: Path, project: Path
) -> None:
    root = project if scope == "project" else home
    other = home if scope == "project" else project
    folder, rule = EXPECTED[(agent, scope)]

    report = install([agent], scope=scope, project=project, home=home, skill=GOOD)  # type: ignore[arg-type]
    assert not report.conflicts
    for rel in SKILL_FILES:
        assert (root / folder / rel).read_bytes() == (GOOD / rel).read_bytes()
    if rule is not None:
        text = (root / rule).read_text(encoding="utf-8")
        assert f"{folder}/SKILL.md" in text
        assert "Builds tiny greeting services." in text
    assert (root / MANIFEST).is_file()
    assert tree(other) == {}, "nothing is written outside the chosen scope"
    assert not (root / folder / "evals").exists(), (
        "skill-creator's evals/ is not installed"
    )

    before = tree(root)
    again = install([agent], scope=scope, project=project, home=home, skill=GOOD)  # type: ignore[arg-type]
    assert {a.kind for a in again.actions} == {"unchanged"}
    assert tree(root) == before

    gone = install(
        [agent],
        scope=scope,  # type: ignore[arg-type]
        project=project,
        home=home,
        skill=GOOD,
        uninstall=True,
    )
    assert {a.kind for a in gone.actions} == {"remove"}
    assert list(root.iterdir()) == []


def test_rule_formats(project: Path, home: Path) -> None:
    install(["cursor", "copilot", "windsurf"], project=project, home=home, skill=GOOD)
    mdc = front_matter(
        (project / ".cursor/rules/good-skill.mdc").read_text(encoding="utf-8")
    )
    assert mdc["alwaysApply"] is False
    assert str(mdc["description"]).startswith("Builds tiny greeting services.")
    copilot = front_matter(
        (project / ".github/instructions/good-skill.instructions.md").read_text(
            encoding="utf-8"
        )
    )
    assert copilot["applyTo"] == "**/*.py"
    windsurf = front_matter(
        (project / ".windsurf/rules/good-skill.md").read_text(encoding="utf-8")
    )
    assert windsurf["trigger"] == "model_decision"


def test_users_file_is_never_overwritten_without_force(
    project: Path, home: Path
) -> None:
    mine = project / ".claude/skills/good-skill/SKILL.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own skill\n", encoding="utf-8")

    report = install(["claude-code"], project=project, home=home, skill=GOOD)
    assert [(a.kind, a.rel) for a in report.conflicts] == [
        ("conflict", ".claude/skills/good-skill/SKILL.md")
    ]
    assert mine.read_text(encoding="utf-8") == "my own skill\n"
    assert (project / ".claude/skills/good-skill/references/guide.md").exists()

    forced = install(
        ["claude-code"], project=project, home=home, skill=GOOD, force=True
    )
    assert not forced.conflicts
    assert mine.read_bytes() == (GOOD / "SKILL.md").read_bytes()


def test_file_changed_after_install_is_kept_on_update_and_uninstall(
    project: Path, home: Path
) -> None:
    install(["gemini"], project=project, home=home, skill=GOOD)
    edited = project / ".gemini/skills/good-skill/references/guide.md"
    edited.write_text("my notes\n", encoding="utf-8")
    assert install(["gemini"], project=project, home=home, skill=GOOD).conflicts
    gone = install(["gemini"], project=project, home=home, skill=GOOD, uninstall=True)
    assert [a.kind for a in gone.conflicts] == ["keep"]
    assert edited.read_text(encoding="utf-8") == "my notes\n"
    assert not (project / ".gemini/skills/good-skill/SKILL.md").exists()


def test_agents_md_section_keeps_the_users_text(project: Path, home: Path) -> None:
    original = "# My project\n\nRun `make test`.\n"
    (project / "AGENTS.md").write_text(original, encoding="utf-8")
    install(["agents-md"], project=project, home=home, skill=GOOD)
    text = (project / "AGENTS.md").read_text(encoding="utf-8")
    assert text.startswith(original)
    assert "<!-- skill-harness:begin good-skill -->" in text
    assert text.count("skill-harness:begin") == 1

    install(["agents-md"], project=project, home=home, skill=GOOD)
    assert (project / "AGENTS.md").read_text(encoding="utf-8") == text

    install(["agents-md"], project=project, home=home, skill=GOOD, uninstall=True)
    assert (project / "AGENTS.md").read_text(encoding="utf-8") == original


def test_hand_edited_agents_md_section_is_a_conflict(project: Path, home: Path) -> None:
    install(["agents-md"], project=project, home=home, skill=GOOD)
    path = project / "AGENTS.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("first", "FIRST"), encoding="utf-8"
    )
    report = install(["agents-md"], project=project, home=home, skill=GOOD)
    assert [a.rel for a in report.conflicts] == ["AGENTS.md"]
    assert "FIRST" in path.read_text(encoding="utf-8")


def test_shared_folder_stays_until_its_last_agent_is_uninstalled(
    project: Path, home: Path
) -> None:
    install(["codex", "windsurf"], project=project, home=home, skill=GOOD)
    shared = project / ".agents/skills/good-skill/SKILL.md"
    install(["codex"], project=project, home=home, skill=GOOD, uninstall=True)
    assert shared.exists()
    install(["windsurf"], project=project, home=home, skill=GOOD, uninstall=True)
    assert list(project.iterdir()) == []


def test_dry_run_writes_nothing(project: Path, home: Path) -> None:
    report = install(
        ["claude-code", "cursor"], project=project, home=home, skill=GOOD, dry_run=True
    )
    assert {a.kind for a in report.actions} == {"create"}
    assert report.lines()[0].startswith("would create")
    assert list(project.iterdir()) == []


def test_reinstall_removes_files_the_skill_no_longer_has(
    project: Path, home: Path, tmp_path: Path
) -> None:
    skill = tmp_path / "src" / "good-skill"
    shutil.copytree(GOOD, skill)
    install(["opencode"], project=project, home=home, skill=skill)
    (skill / "assets" / "template.txt").unlink()
    report = install(["opencode"], project=project, home=home, skill=skill)
    assert ("remove", ".opencode/skills/good-skill/assets/template.txt") in {
        (a.kind, a.rel) for a in report.actions
    }
    assert not (project / ".opencode/skills/good-skill/assets").exists()


def test_symlink_in_the_way_is_not_followed(
    project: Path, home: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".claude").symlink_to(elsewhere)
    report = install(
        ["claude-code"], project=project, home=home, skill=GOOD, force=True
    )
    assert report.conflicts
    assert list(elsewhere.iterdir()) == []


def test_detection_by_config_folders(project: Path, home: Path) -> None:
    assert detect_agents(project, home) == []
    (home / ".claude").mkdir()
    (home / ".config" / "opencode").mkdir(parents=True)
    (project / ".cursor").mkdir()
    assert detect_agents(project, home) == ["claude-code", "cursor", "opencode"]
    report = install(["all"], scope="user", project=project, home=home, skill=GOOD)
    assert report.agents == ["claude-code", "cursor", "opencode"]
    assert (home / ".config/opencode/skills/good-skill/SKILL.md").exists()


def test_all_without_agents_and_bad_names_are_usage_errors(
    project: Path, home: Path
) -> None:
    with pytest.raises(UsageError, match="found no agent"):
        install(["all"], project=project, home=home, skill=GOOD)
    with pytest.raises(UsageError, match="unknown agent vim"):
        install(["vim"], project=project, home=home, skill=GOOD)
    with pytest.raises(UsageError, match="use --scope project"):
        install(["agents-md"], scope="user", project=project, home=home, skill=GOOD)
    with pytest.raises(UsageError, match="does not exist"):
        install(["codex"], project=project / "nope", home=home, skill=GOOD)


def harness(home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "harness", "install", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
        timeout=120,
    )


def test_cli_user_scope_goes_under_home(home: Path, project: Path) -> None:
    done = harness(
        home, project, "--agent", "claude-code", "--scope", "user", "--skill", str(GOOD)
    )
    assert done.returncode == 0, done.stderr
    assert "~/.claude/skills/good-skill/" in done.stdout
    assert (home / ".claude/skills/good-skill/SKILL.md").exists()
    assert list(project.iterdir()) == []


def test_cli_project_scope_defaults_to_the_current_folder(
    home: Path, project: Path
) -> None:
    done = harness(home, project, "--agent", "gemini,copilot", "--skill", str(GOOD))
    assert done.returncode == 0, done.stderr
    assert (project / ".gemini/skills/good-skill/SKILL.md").exists()
    assert (project / ".github/instructions/good-skill.instructions.md").exists()


def test_cli_conflict_exits_1_with_one_line(home: Path, project: Path) -> None:
    (project / ".cursor" / "rules").mkdir(parents=True)
    (project / ".cursor/rules/good-skill.mdc").write_text("mine", encoding="utf-8")
    done = harness(home, project, "--agent", "cursor", "--skill", str(GOOD))
    assert done.returncode == 1
    assert "skip" in done.stdout
    assert done.stderr.count("\n") == 1
    assert "--force" in done.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--agent", "vim"], "unknown agent vim"),
        (
            ["--agent", "codex", "--scope", "user", "--dir", "."],
            "--dir applies to --scope project",
        ),
        (["--agent", "all", "--agent", "codex"], "--agent all cannot be combined"),
        (["--agent", "codex", "--skill", "nowhere"], "nowhere does not exist"),
    ],
)
def test_cli_usage_errors(
    home: Path, project: Path, args: list[str], expected: str
) -> None:
    done = harness(home, project, *args)
    assert done.returncode == 2
    assert done.stderr.startswith("harness: error: ")
    assert done.stderr.count("\n") == 1
    assert expected in done.stderr
