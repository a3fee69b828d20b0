"""Benchmark the reports of a large run: build time, report.html size, load time in Chromium.

Run by hand::

    uv run python benchmarks/report_bench.py            # 1,000 samples (100 tasks x 2 x 5)
    uv run python benchmarks/report_bench.py --smoke    # 100 samples, for CI

It synthesises a stored run (``benchmarks.support.synthetic``: real layout, sample records,
transcripts with a model reply, workspaces of 8 files of about 80 lines) and measures:

* the summary (statistics included) and the three report files: seconds to build;
* ``report.html``: bytes, and the shares that are the embedded (compressed) drill-downs and
  the baseline-against-arm diffs of the side-by-side view;
* in headless Chromium, if installed: the page's own script-ready time (``performance.now()``
  when the sample table is filled, ``data-ready-ms``), the time to decompress and render one
  drill-down and one side-by-side task view (``data-render-ms``), and the wall time of a
  whole headless load against an empty page's (process start-up subtracted).

Targets (for a person, not asserted): report.html under 25 MB and ready in under 2 s at
1,000 samples; a drill-down or a side-by-side view opens in under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support.synthetic import SyntheticRun, synthesize  # noqa: E402
from harness.report.render import write_reports  # noqa: E402
from harness.report.summary import build_summary  # noqa: E402
from harness.run.layout import RunLayout  # noqa: E402


def chromium_load(url: str, *, budget_ms: int | None = None) -> tuple[float, str]:
    """Seconds a headless load takes, and the DOM it leaves."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    assert binary is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--dump-dom",
    ]
    if budget_ms is not None:
        flags.append(f"--virtual-time-budget={budget_ms}")
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": "/dev/null"}
    started = time.perf_counter()
    done = subprocess.run(
        [binary, *flags, url],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    return time.perf_counter() - started, done.stdout


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="100 samples, quick")
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    tasks = 10 if args.smoke else args.tasks
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder)
        started = time.perf_counter()
        manifest, records = synthesize(
            results,
            SyntheticRun(
                run_id="bench",
                tasks=tasks,
                epochs=args.epochs,
                infra_rate=0.02,
                model_failure_rate=0.03,
                files=8,
                file_lines=80,
                reply_chars=20_000,
            ),
        )
        synth_s = time.perf_counter() - started
        layout = RunLayout.of(results, "bench")
        started = time.perf_counter()
        summary = build_summary(manifest, records)
        summary_s = time.perf_counter() - started
        started = time.perf_counter()
        write_reports(summary, layout, manifest, records)
        write_s = time.perf_counter() - started
        html = layout.report("html")
        text = html.read_text()
        size = html.stat().st_size
        details = re.search(r'id="details-data">(.*?)</script>', text, re.S)
        detail_bytes = len(details.group(1)) if details else 0
        pairs = re.search(r'id="pairs-data">(.*?)</script>', text, re.S)
        pair_bytes = len(pairs.group(1)) if pairs else 0
        print(
            f"samples: {len(records)} ({tasks} tasks x 2 variants x {args.epochs} epochs)"
        )
        print(f"synthesise run: {synth_s:.2f} s")
        print(f"summary (statistics): {summary_s:.2f} s")
        print(f"write summary.json, report.md, report.html: {write_s:.2f} s")
        print(
            f"report.html: {size / 1e6:.2f} MB ({size / len(records) / 1e3:.1f} kB/sample), "
            f"drill-downs {detail_bytes / size:.0%} of it, side-by-side diffs "
            f"{pair_bytes / size:.0%}"
        )
        print(f"summary.json: {layout.summary.stat().st_size / 1e6:.2f} MB")
        if (
            shutil.which("chromium") is None
            and shutil.which("chromium-browser") is None
        ):
            print("chromium not installed: load time not measured")
            return
        blank = results / "blank.html"
        blank.write_text("<!DOCTYPE html><html><body>blank</body></html>")
        blank_s, _ = chromium_load(blank.as_uri())
        load_s, dom = chromium_load(html.as_uri())
        ready = re.search(r'data-ready-ms="(\d+)"', dom)
        key = f"{records[0].spec.task}/{records[0].spec.arm}/{records[0].spec.epoch}"
        _, opened = chromium_load(f"{html.as_uri()}#sample={key}", budget_ms=10_000)
        render = re.search(r'data-render-ms="([\d.]+)"', opened)
        pair = f"{records[0].spec.task}/skill/{records[0].spec.epoch}"
        _, side = chromium_load(
            f"{html.as_uri()}#task={records[0].spec.task}&arm=skill"
            f"&epoch={records[0].spec.epoch}",
            budget_ms=10_000,
        )
        side_render = re.search(r'data-render-ms="([\d.]+)"', side)
        shown = re.search(r"(\d+) of (\d+) shown", dom)
        print(
            f"chromium: script ready at {ready.group(1) if ready else '?'} ms "
            f"(sample table: {shown.group(0) if shown else 'not filled'})"
        )
        print(
            f"chromium: whole headless load {load_s:.2f} s vs empty page {blank_s:.2f} s "
            f"(+{load_s - blank_s:.2f} s for the report)"
        )
        print(
            f"chromium: one drill-down decompressed and rendered in "
            f"{render.group(1) if render else '?'} ms; a side-by-side task view ({pair} "
            f"beside its baseline) in {side_render.group(1) if side_render else '?'} ms"
        )
        if not ready or not shown:
            sys.exit("the page's script did not run to the end")


if __name__ == "__main__":
    main()
