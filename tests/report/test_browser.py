"""The HTML report in headless Chromium, at 1400 and 820 pixels, with real clicks and keys.

A heat-map cell opens its task in a side panel with the baseline's and the arm's samples
side by side and their diff; Esc closes it; the URL hash and the Back button restore a view;
a column header sorts its table; the differences table fits at 820 px; a generated file
holding markup stays text. Screenshots go to ``$HARNESS_SCREENSHOT_DIR`` (else a temporary
folder) for a person to look at. The browser is driven over the DevTools pipe
(``tests/report/cdp.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.report import conclude
from harness.run.layout import RunLayout

from .cdp import Page
from .helpers import RESAMPLES, make_run
from .test_hostile_files import INJECTION, TEMPLATE

if TYPE_CHECKING:
    from collections.abc import Iterator

    from harness.run.records import SampleRecord

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="CHROMIUM NOT INSTALLED: the HTML report was NOT tested in a browser "
    "(apt-get install -y chromium)",
)
WIDTHS = (1400, 820)
PANEL_OPEN = "!document.getElementById('panel').hidden"
PANEL_READY = PANEL_OPEN + " && !!document.querySelector('#panel-body .scard')"


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
    """A run of 8 tasks x 2 arms x 2 epochs with failures, references, and one sample
    whose project holds a file of markup and a link to ``/etc/passwd``."""
    results = tmp_path_factory.mktemp("results")
    manifest, records = make_run(
        results,
        run_id="browser",
        tasks=8,
        epochs=2,
        infra_rate=0.05,
        model_failure_rate=0.05,
        seed=11,
        references=True,
    )
    layout = RunLayout.of(results, "browser")
    hostile = next(r for r in records if r.spec.task == "task-007" and r.score)
    workspace = layout.workspace(hostile.spec)
    (workspace / "app" / "evil.py").write_text(f"x = '{INJECTION}'\ny = '{TEMPLATE}'\n")
    (workspace / "app" / "passwd.py").symlink_to("/etc/passwd")
    assert hostile.generation is not None
    hostile.generation.files = [
        *hostile.generation.files,
        "app/evil.py",
        "app/passwd.py",
    ]
    conclude(manifest, layout, records, gates=[], n_resamples=RESAMPLES)
    return layout.report("html"), records


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go."""
    chosen = os.environ.get("HARNESS_SCREENSHOT_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    assert CHROMIUM is not None
    with Page(CHROMIUM, tmp_path_factory.mktemp("profile")) as page:
        yield page


@pytest.fixture
def page(browser: Page) -> Iterator[Page]:
    """The browser's page; a test fails if the page logged an error or opened a dialog."""
    browser.problems.clear()
    browser.dialogs.clear()
    yield browser
    assert browser.problems == []


def paired(records: list[SampleRecord], epoch: int = 0) -> list[str]:
    """Tasks whose baseline and skill samples of ``epoch`` both have a project."""
    scored = {
        (r.spec.task, r.spec.arm) for r in records if r.score and r.spec.epoch == epoch
    }
    return sorted(t for t, arm in scored if arm == "none" and (t, "skill") in scored)


def cell(task: str, column: int = 2) -> str:
    """The heat map's cell of ``task`` in ``column`` (1: baseline, 2: skill, 3: difference)."""
    return f'#t-heat td[data-task="{task}"]:nth-of-type({column})'


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


@pytest.mark.parametrize("width", WIDTHS)
def test_a_heat_map_cell_opens_both_samples_side_by_side_and_esc_closes(
    page: Page, report: tuple[Path, list[SampleRecord]], shots: Path, width: int
) -> None:
    html, records = report
    task = paired(records)[0]
    page.viewport(width, 900)
    page.goto(html.as_uri())
    assert page.screenshot(shots / f"report-{width}.png").startswith(b"\x89PNG")
    _, y = page.click(cell(task))
    page.wait(PANEL_READY)
    assert page.js("location.hash") == f"#task={task}&arm=skill&epoch=0"
    cards = page.js(
        "[...document.querySelectorAll('#panel-body .scard a')].map(a => a.textContent)"
    )
    assert cards == [f"{task}/none/0", f"{task}/skill/0"]
    diff = page.js("document.querySelector('.pairdiff').textContent")
    assert f"-# {task} none 0 app/file_0.py" in diff
    assert f"+# {task} skill 0 app/file_0.py" in diff
    assert page.js("document.querySelectorAll('.pairdiff span.d-add').length") > 0
    assert page.js("document.querySelectorAll('.pairdiff span.d-del').length") > 0
    against = page.js("document.getElementById('panel-body').textContent")
    assert "Files against the task's reference" in against
    assert "app/file_0.py · changed" in against  # each sample against the gold project
    after = page.js(
        f"document.querySelector('{cell(task)}').getBoundingClientRect().toJSON()"
    )
    assert abs(after["top"] + after["height"] / 2 - y) < 2  # the page kept its place
    if width >= 1200:  # the panel stays beside the table
        panel_left = page.js(
            "document.getElementById('panel').getBoundingClientRect().left"
        )
        assert after["right"] <= panel_left
    page.screenshot(shots / f"panel-{width}.png")
    page.press("Escape", 27)
    page.wait("document.getElementById('panel').hidden")
    assert "task=" not in page.js("location.hash")
    assert page.js(f"document.activeElement === document.querySelector('{cell(task)}')")
    page.screenshot(shots / f"closed-{width}.png")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_hash_and_the_back_button_restore_a_view(
    page: Page, report: tuple[Path, list[SampleRecord]], shots: Path, width: int
) -> None:
    html, records = report
    first, second = paired(records)[:2]
    page.viewport(width, 900)
    page.goto(html.as_uri())
    page.click(cell(first, 3))
    page.wait(PANEL_READY)
    covered = width < 1200  # at 820 the panel covers the map: close it first
    if covered:
        page.click("#panel-close")
        page.wait("document.getElementById('panel').hidden")
    page.click(cell(second, 1))
    page.wait(PANEL_READY + f" && location.hash.includes('task={second}')")
    page.js("history.back()")
    if covered:
        page.wait("document.getElementById('panel').hidden")
        page.js("history.back()")
    page.wait(f"document.querySelector('#panel-title h2')?.textContent === '{first}'")
    assert page.js(PANEL_OPEN)
    assert page.js("location.hash") == f"#task={first}&arm=skill&epoch=0"
    page.js("history.back()")
    page.wait("document.getElementById('panel').hidden")
    # a link opens the same view: another task, the second epoch
    epochs = paired(records, epoch=1)
    page.goto(f"{html.as_uri()}#task={epochs[-1]}&arm=skill&epoch=1")
    page.wait(
        PANEL_READY
        + f" && document.getElementById('panel').dataset.view?.includes('{epochs[-1]}')"
    )
    keys = page.js(
        "[...document.querySelectorAll('#panel-body .scard a')].map(a => a.textContent)"
    )
    assert keys == [f"{epochs[-1]}/none/1", f"{epochs[-1]}/skill/1"]
    assert page.js("document.querySelector('#panel-controls select').value") == "1"
    page.screenshot(shots / f"restored-{width}.png")


def column(page: Page, table: str, index: int) -> list[str]:
    rows = f"[...document.querySelectorAll('#{table} tbody tr')]"
    return page.js(f"{rows}.map(r => r.cells[{index}].textContent)")


def numbers(values: list[str]) -> list[float]:
    return [float(v) for v in values if v.strip() not in ("", "-")]


@pytest.mark.parametrize("width", WIDTHS)
def test_clicking_a_header_sorts_its_table_and_the_hash_keeps_the_order(
    page: Page, report: tuple[Path, list[SampleRecord]], shots: Path, width: int
) -> None:
    html, _ = report
    page.viewport(width, 900)
    page.goto(html.as_uri())
    page.click('#t-samples th[data-key="overall"]')
    values = column(page, "t-samples", 4)
    assert numbers(values) == sorted(numbers(values))
    dashes = [v for v in values if v == "-"]
    assert values[len(values) - len(dashes) :] == dashes  # missing values last
    page.click('#t-samples th[data-key="overall"]')
    descending = column(page, "t-samples", 4)
    assert numbers(descending) == sorted(numbers(values), reverse=True)
    assert "sort=t-samples:4:d" in page.js("location.hash")
    page.screenshot(shots / f"sorted-{width}.png")
    # the heat map's difference column, numerically (text order would put -0.2 before -0.1)
    page.click("#t-heat thead th:nth-child(4)")
    diffs = numbers(column(page, "t-heat", 3))
    assert diffs == sorted(diffs)
    # a reload with the hash comes back sorted
    page.goto(page.js("location.href"))
    assert column(page, "t-samples", 4) == descending
    assert numbers(column(page, "t-heat", 3)) == diffs


@pytest.mark.parametrize("width", WIDTHS)
def test_the_differences_table_fits_the_page(
    page: Page, report: tuple[Path, list[SampleRecord]], shots: Path, width: int
) -> None:
    html, _ = report
    page.viewport(width, 900)
    page.goto(html.as_uri())
    page.js("document.getElementById('differences').scrollIntoView()")
    table = page.js(
        "(() => { const t = document.getElementById('t-diffs');"
        " return [t.getBoundingClientRect().right, t.parentElement.clientWidth,"
        " t.parentElement.scrollWidth]; })()"
    )
    right, room, needed = table
    assert needed <= room
    assert right <= width
    assert page.js("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(shots / f"differences-{width}.png")


def test_a_table_too_wide_for_the_page_becomes_a_grid_and_still_sorts(
    page: Page, report: tuple[Path, list[SampleRecord]], shots: Path
) -> None:
    html, _ = report
    page.viewport(520, 900)
    page.goto(html.as_uri())
    assert page.js("document.getElementById('t-diffs').classList.contains('stacked')")
    assert page.js("document.documentElement.scrollWidth <= window.innerWidth")
    label = (
        "getComputedStyle(document.querySelector('#t-diffs td'), '::before').content"
    )
    assert page.js(label) == '"variant"'
    page.js("document.getElementById('differences').scrollIntoView()")
    page.screenshot(shots / "differences-520-stacked.png")
    page.click("#t-diffs thead th:nth-child(4)")
    diffs = numbers(column(page, "t-diffs", 3))
    assert diffs == sorted(diffs)
    page.viewport(1400, 900)  # room again: a table again
    page.wait("!document.getElementById('t-diffs').classList.contains('stacked')")


def test_a_generated_file_of_markup_stays_text(
    page: Page, report: tuple[Path, list[SampleRecord]], shots: Path
) -> None:
    html, records = report
    hostile = next(r for r in records if r.spec.task == "task-007" and r.score)
    key = f"{hostile.spec.task}/{hostile.spec.arm}/{hostile.spec.epoch}"
    page.viewport(1400, 900)
    page.goto(f"{html.as_uri()}#sample={key}")
    page.wait(
        PANEL_OPEN
        + " && document.getElementById('panel-body').textContent.includes('evil.py')"
    )
    page.js(
        "document.querySelectorAll('#panel-body details').forEach(d => d.open = true)"
    )
    text = page.js("document.getElementById('panel-body').textContent")
    assert INJECTION in text
    assert TEMPLATE in text
    assert "app/passwd.py · unreadable" in text
    assert "root:" not in text
    assert page.dialogs == []
    assert page.js("document.querySelectorAll('script').length") == 5
    page.js(
        "[...document.querySelectorAll('#panel-body summary')].find(s => s.textContent"
        ".startsWith('app/evil.py')).scrollIntoView()"
    )
    page.screenshot(shots / "hostile-file.png")
