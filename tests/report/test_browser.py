"""The HTML report in headless Chromium: it loads with no console error, shows the summary,
opens a drill-down, and a screenshot is taken (``$HARNESS_SCREENSHOT_DIR``, else tmp)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.report import conclude
from harness.run.layout import RunLayout

from .helpers import RESAMPLES, make_run

if TYPE_CHECKING:
    from harness.run.records import SampleRecord

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="CHROMIUM NOT INSTALLED: the HTML report was NOT tested in a browser "
    "(apt-get install -y chromium)",
)


def chromium(url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``url``; console messages go to stderr as CONSOLE lines."""
    assert CHROMIUM is not None
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": "/dev/null"}
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def console_lines(stderr: str) -> list[str]:
    """Messages the page logged (errors, uncaught exceptions, warnings)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[SampleRecord]]:
    results = tmp_path_factory.mktemp("results")
    manifest, records = make_run(
        results,
        run_id="browser",
        tasks=8,
        epochs=2,
        infra_rate=0.05,
        model_failure_rate=0.05,
        seed=11,
    )
    layout = RunLayout.of(results, "browser")
    conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    return layout.report("html"), records


def test_page_loads_without_console_errors_and_shows_the_summary(
    report: tuple[Path, list[SampleRecord]],
) -> None:
    html, records = report
    scored = next(r for r in records if r.score is not None)
    key = f"{scored.spec.task}/{scored.spec.arm}/{scored.spec.epoch}"
    done = chromium(f"{html.as_uri()}#sample={key}", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_lines(done.stderr) == []
    dom = done.stdout
    assert "simulation: the sim model" in dom
    assert "could detect an effect of" in dom
    # the script ran: it filled the sample table and opened the sample named in the URL
    assert f"{len(records)} of {len(records)} shown" in dom
    assert f"Sample {key}" in dom
    assert "Findings per check" in dom
    assert "Transcript" in dom


def test_screenshot(report: tuple[Path, list[SampleRecord]], tmp_path: Path) -> None:
    html, _ = report
    folder = Path(os.environ.get("HARNESS_SCREENSHOT_DIR", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / "report.png"
    done = chromium(html.as_uri(), f"--screenshot={shot}", "--window-size=1280,2200")
    assert done.returncode == 0, done.stderr[-2000:]
    assert console_lines(done.stderr) == []
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 20_000  # a blank page is a few kB
    print(f"screenshot: {shot}")  # noqa: T201 - shown with -s, for a person to look at
