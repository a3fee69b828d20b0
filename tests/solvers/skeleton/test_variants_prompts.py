"""Variants (none, path, git, pkg) with content hashes, and the prompt templates."""

import shutil
import subprocess
from pathlib import Path

import pytest
from gen_support import SKILL_MD

from harness.errors import UsageError
from harness.prompts import (
    PROMPT_VERSION,
    prompt_version,
    render_skill,
    render_system,
    render_task,
)
from harness.variants import (
    Delivery,
    read_skill_dir,
    resolve_variant,
    skill_from_files,
    split_frontmatter,
)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        text=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "HOME": str(repo),
            "PATH": "/usr/bin:/bin",
        },
    ).stdout


def test_none():
    variant = resolve_variant("none")
    assert (variant.label, variant.kind, variant.content_hash, variant.skill) == (
        "none",
        "none",
        "none",
        None,
    )


def test_path_variant(skill_dir: Path):
    variant = resolve_variant(f"path:{skill_dir}")
    assert variant.kind == "path"
    assert variant.label == "tiny-fastapi"
    skill = variant.skill
    assert skill is not None
    assert skill.name == "tiny-fastapi"
    assert skill.description.startswith("Conventions for small FastAPI services.")
    assert skill.body.startswith("# Tiny FastAPI")
    assert skill.references == ["references/layout.md"]
    assert len(variant.content_hash) == 16


def test_relative_path_and_label(skill_dir: Path):
    variant = resolve_variant(
        "mine=path:skills/tiny-fastapi", base_dir=skill_dir.parent.parent
    )
    assert variant.label == "mine"
    assert variant.spec == "path:skills/tiny-fastapi"


def test_hash_follows_content_only(skill_dir: Path, tmp_path: Path):
    copy = tmp_path / "elsewhere" / "tiny-fastapi"
    shutil.copytree(skill_dir, copy)
    for junk in ("__pycache__/x.pyc", ".mypy_cache/3.12/a.json", "evals/evals.json"):
        (copy / junk).parent.mkdir(parents=True)
        (copy / junk).write_bytes(b"junk")
    first = resolve_variant(f"path:{skill_dir}").content_hash
    assert resolve_variant(f"path:{copy}").content_hash == first
    (copy / "references" / "layout.md").write_text("changed\n")
    assert resolve_variant(f"path:{copy}").content_hash != first


def test_git_variant_reads_a_revision_without_checkout(skill_dir: Path, tmp_path: Path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    shutil.copytree(skill_dir, repo / "skill" / "tiny-fastapi")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "v1")
    git(repo, "tag", "v1")
    (repo / "skill" / "tiny-fastapi" / "SKILL.md").write_text(
        SKILL_MD + "\nNew rule.\n"
    )
    git(repo, "commit", "-qam", "v2")

    old = resolve_variant("git:v1:skill/tiny-fastapi", base_dir=repo)
    new = resolve_variant("path:skill/tiny-fastapi", base_dir=repo)
    assert old.kind == "git"
    assert old.label == "tiny-fastapi@v1"
    assert old.revision == git(repo, "rev-parse", "v1").strip()
    assert old.content_hash == resolve_variant(f"path:{skill_dir}").content_hash
    assert old.content_hash != new.content_hash
    assert "New rule." not in old.skill.body  # type: ignore[union-attr]
    # Nothing was checked out: the working tree still holds v2.
    assert "New rule." in (repo / "skill/tiny-fastapi/SKILL.md").read_text()
    assert git(repo, "status", "--porcelain") == ""

    with pytest.raises(UsageError, match="git revision 'v9' does not exist"):
        resolve_variant("git:v9:skill/tiny-fastapi", base_dir=repo)
    with pytest.raises(
        UsageError, match="skill/nope does not exist at git revision v1"
    ):
        resolve_variant("git:v1:skill/nope", base_dir=repo)


def test_pkg_variant_is_fastapis_own_skill():
    variant = resolve_variant("pkg:fastapi/.agents/skills/fastapi")
    assert variant.kind == "pkg"
    assert variant.label == "pkg-fastapi-fastapi"
    assert variant.skill is not None
    assert variant.skill.name == "fastapi"
    assert "SKILL.md" in variant.skill.files
    assert any(p.startswith("references/") for p in variant.skill.files)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("pkg:not-a-package/x", "package 'not-a-package' is not installed"),
        ("path:/does/not/exist", "skill folder /does/not/exist does not exist"),
        ("skill/x", "unknown variant 'skill/x'"),
        ("git:v1", "unknown variant"),
        ("bad label=none", "variant label 'bad label'"),
    ],
)
def test_bad_variants(spec: str, message: str):
    with pytest.raises(UsageError, match=message):
        resolve_variant(spec)


def test_skill_without_skill_md(tmp_path: Path):
    (tmp_path / "x").mkdir()
    with pytest.raises(UsageError, match=r"has no SKILL\.md"):
        read_skill_dir(tmp_path / "x")


def test_lenient_front_matter():
    front, body = split_frontmatter(
        "---\nname: a\ndescription: Use when: things happen\n---\nBody\n"
    )
    assert front == {"name": "a", "description": "Use when: things happen"}
    assert body == "Body\n"
    assert split_frontmatter("No front matter") == ({}, "No front matter")
    skill = skill_from_files(
        {"SKILL.md": b"---\ndescription: d\n---\nB"}, folder_name="My Skill", source="t"
    )
    assert skill.name == "my-skill"


def test_catalog_lists_name_description_location_escaped():
    skill = skill_from_files(
        {
            "SKILL.md": b"---\nname: s\ndescription: Use for <FastAPI> & co\n---\nSECRET BODY"
        },
        folder_name="s",
        source="t",
    )
    catalog = render_skill(skill, Delivery.on_demand, files_in_workspace=True)
    assert "<available_skills>\n<skill>\n<name>s</name>" in catalog
    assert "<description>Use for &lt;FastAPI&gt; &amp; co</description>" in catalog
    assert "<location>.agents/skills/s/SKILL.md</location>" in catalog
    assert "SECRET BODY" not in catalog
    inline = render_skill(skill, Delivery.inline, files_in_workspace=False)
    assert '<skill name="s">\nSECRET BODY\n</skill>' in inline


def test_system_prompts():
    oneshot = render_system("oneshot")
    assert "### pyproject.toml\n```toml" in oneshot
    assert "Skill" not in oneshot
    agent = render_system("agent", max_turns=12)
    for tool in ("list_files", "read_file", "write_file", "run", "finish"):
        assert f"`{tool}`" in agent
    assert "at most 12 turns" in agent
    assert "### " not in agent


def test_task_prompt_with_and_without_contract():
    assert render_task("Build it.", contract=None) == "Build it.\n"
    text = render_task(
        "Build it.",
        contract="## Rules\n",
        starter_files={"README.md": "```x```\n", "a.py": "A = 1"},
    )
    assert text.startswith("Build it.\n\n## Rules\n\n## The existing project")
    assert "### a.py\n````python\nA = 1\n````" in text
    agent = render_task("Build it.", contract=None, has_starter=True)
    assert "explore it with `list_files`" in agent


def test_prompt_version_names_the_templates():
    version = prompt_version()
    assert version.startswith(f"{PROMPT_VERSION}+")
    assert len(version.split("+")[1]) == 8


def test_baseline_prompts_never_mention_skills_or_their_folder():
    for mode in ("oneshot", "agent"):
        text = render_system(mode).lower()
        assert "skill" not in text
        assert ".agents" not in text
    assert "Nothing under `.agents/` can be changed." in render_system(
        "agent", skill_in_workspace=True
    )
