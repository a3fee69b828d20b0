"""`harness skill pack`: a .skill zip laid out as skill-creator's package_skill.py makes it."""

import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from harness.errors import HarnessError
from harness.fileio import new_file_mode
from harness.skills.pack import pack_skill

GOOD = Path(__file__).resolve().parent / "fixtures" / "good-skill"


@pytest.fixture
def skill(tmp_path: Path) -> Path:
    target = tmp_path / "src" / "good-skill"
    shutil.copytree(GOOD, target)
    (target / "__pycache__").mkdir()
    (target / "__pycache__" / "x.cpython-312.pyc").write_bytes(b"\0")
    (target / "assets" / "stale.pyc").write_bytes(b"\0")
    (target / ".DS_Store").write_bytes(b"\0")
    (target / "node_modules" / "pkg").mkdir(parents=True)
    (target / "node_modules" / "pkg" / "index.js").write_text("x", encoding="utf-8")
    (target / "assets" / ".ruff_cache").mkdir()
    (target / "assets" / ".ruff_cache" / "CACHEDIR.TAG").write_text(
        "x", encoding="utf-8"
    )
    (target / "assets" / "evals").mkdir()
    (target / "assets" / "evals" / "kept.json").write_text("{}", encoding="utf-8")
    return target


def test_pack_writes_name_dot_skill_with_entries_under_the_folder(
    skill: Path, tmp_path: Path
) -> None:
    packed = pack_skill(skill, tmp_path / "dist")
    assert packed.archive == tmp_path / "dist" / "good-skill.skill"
    # shareable as any file the user writes, not the 0600 of a temporary file
    assert stat.S_IMODE(packed.archive.stat().st_mode) == new_file_mode(
        tmp_path / "absent"
    )
    with zipfile.ZipFile(packed.archive) as archive:
        names = archive.namelist()
        assert archive.read("good-skill/SKILL.md") == (skill / "SKILL.md").read_bytes()
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
    assert names == sorted(names) == packed.entries
    assert names == [
        "good-skill/SKILL.md",
        "good-skill/assets/evals/kept.json",
        "good-skill/assets/template.txt",
        "good-skill/references/guide.md",
    ]


def test_pack_is_reproducible(skill: Path, tmp_path: Path) -> None:
    first = pack_skill(skill, tmp_path / "a").archive.read_bytes()
    # A checkout made later (other file times) must give the same bytes, not only a
    # second pack within the same second.
    for path in skill.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    second = pack_skill(skill, tmp_path / "b").archive.read_bytes()
    assert first == second


def test_pack_refuses_fields_outside_the_spec(skill: Path, tmp_path: Path) -> None:
    text = (skill / "SKILL.md").read_text(encoding="utf-8")
    (skill / "SKILL.md").write_text(
        text.replace("license: MIT\n", "license: MIT\nargument-hint: x\n"),
        encoding="utf-8",
    )
    with pytest.raises(HarnessError, match=r"field-unknown.*argument-hint"):
        pack_skill(skill, tmp_path / "dist")
    assert not (tmp_path / "dist" / "good-skill.skill").exists()


def test_pack_refuses_lint_errors(skill: Path, tmp_path: Path) -> None:
    (skill / "SKILL.md").write_text(
        (skill / "SKILL.md").read_text(encoding="utf-8")
        + "\n[gone](references/gone.md)\n",
        encoding="utf-8",
    )
    with pytest.raises(HarnessError, match="link-broken"):
        pack_skill(skill, tmp_path / "dist")


def test_pack_into_the_skill_itself_does_not_include_the_archive(skill: Path) -> None:
    pack_skill(skill, skill)
    packed = pack_skill(skill, skill)
    assert "good-skill/good-skill.skill" not in packed.entries
