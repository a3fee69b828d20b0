"""Generated files in the report are hostile: shown as inert text, never read through a link.

Attacks kept as tests: a file that closes the page's script element and opens its own, a
file of template syntax, a generated file that is a symbolic link to ``/etc/passwd``, one
inside a linked folder, and one linked to a file inside the workspace (never followed
either)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from harness.report import conclude
from harness.report.detail import unpack
from harness.report.files import Caps, between, read_text
from harness.run.layout import RunLayout

from .helpers import RESAMPLES, make_run
from .test_render import embedded

if TYPE_CHECKING:
    from harness.run.records import RunManifest, SampleRecord

INJECTION = "</script><script>alert(1)</script>"
TEMPLATE = "{{ 7 * 7 }} {% if true %}x{% endif %} ${7*7}"
HOST_FILE = Path("/etc/passwd")


def plant(
    results: Path, run_id: str
) -> tuple[RunManifest, list[SampleRecord], SampleRecord]:
    """A run whose first sample's workspace holds every attack, listed as generated."""
    manifest, records = make_run(results, run_id=run_id, tasks=2, epochs=1, files=1)
    record = records[0]
    workspace = RunLayout.of(results, run_id).workspace(record.spec)
    (workspace / "app" / "evil.py").write_text(f"x = '{INJECTION}'\ny = '{TEMPLATE}'\n")
    (workspace / "app" / "passwd.py").symlink_to(HOST_FILE)
    (workspace / "etc").symlink_to("/etc")
    (workspace / "app" / "alias.py").symlink_to("file_0.py")
    assert record.generation is not None
    files = ["app/alias.py", "app/evil.py", "app/passwd.py", "etc/passwd"]
    record.generation.files = sorted([*record.generation.files, *files])
    return manifest, records, record


def every_text(html: str) -> str:
    """All packed drill-downs and pair diffs of a page, unpacked, as one text."""
    texts = []
    for element in ("details-data", "pairs-data"):
        packed = embedded(html, element)
        assert isinstance(packed, dict)
        texts += [str(unpack(value)) for value in packed.values()]
    return "\n".join(texts)


def test_injected_markup_and_template_syntax_stay_text(results: Path) -> None:
    manifest, records, record = plant(results, "x")
    layout = RunLayout.of(results, "x")
    conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    html = layout.report("html").read_text()
    assert "alert(1)" not in html  # only inside the compressed, escaped data
    assert html.count("<script") == 5  # four data elements and the page's own script
    details = embedded(html, "details-data")
    assert isinstance(details, dict)
    evil = next(
        f
        for f in unpack(details[f"{record.spec.task}/none/0"])["files"]
        if f["path"] == "app/evil.py"
    )
    assert INJECTION in evil["text"]
    assert TEMPLATE in evil["text"]  # rendered by no template engine


def test_links_in_a_workspace_are_never_followed(results: Path) -> None:
    manifest, records, record = plant(results, "l")
    layout = RunLayout.of(results, "l")
    conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    html = layout.report("html").read_text()
    first_line = HOST_FILE.read_text().splitlines()[0]
    assert first_line not in html
    assert first_line not in every_text(html)
    details = embedded(html, "details-data")
    assert isinstance(details, dict)
    states = {
        f["path"]: f["state"]
        for f in unpack(details[f"{record.spec.task}/none/0"])["files"]
    }
    assert states["app/passwd.py"] == "unreadable"
    assert states["etc/passwd"] == "unreadable"
    assert states["app/alias.py"] == "unreadable"  # a link, even to a file inside
    assert states["app/evil.py"] == "added"


def test_read_text_refuses_links_at_any_component(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "real").mkdir(parents=True)
    (root / "real" / "a.py").write_text("a = 1\n")
    (root / "linked").symlink_to(root / "real")
    (root / "secret.py").symlink_to(HOST_FILE)
    caps = Caps()
    assert read_text(root, "real/a.py", caps.file_bytes) == "a = 1\n"
    assert read_text(root, "linked/a.py", caps.file_bytes) is None
    assert read_text(root, "secret.py", caps.file_bytes) is None
    assert read_text(root, "../ws/real/a.py", caps.file_bytes) is None
    assert read_text(root, "/etc/passwd", caps.file_bytes) is None
    assert read_text(root, "real/a.py", 3) is None  # over the size cap: not read


def test_the_pair_diff_skips_a_link_on_either_side(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for root in (old, new):
        root.mkdir()
        (root / "same.py").write_text("x = 1\n")
    (old / "conf.py").symlink_to(HOST_FILE)
    (new / "conf.py").write_text("y = 2\n")
    views = {
        v.path: v
        for v in between(
            (old, ["same.py", "conf.py"]),
            (new, ["same.py", "conf.py"]),
            ("a", "b"),
            Caps(),
        )
    }
    assert views["same.py"].state == "same"
    assert views["conf.py"].state == "unreadable"
    assert views["conf.py"].text == ""
