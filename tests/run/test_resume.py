"""A real run killed with SIGKILL loses at most what was in flight and pays nothing twice."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness.prompts import format_reply
from harness.run.layout import RunLayout
from harness.run.records import SampleRecord
from harness.run.store import RunStore
from harness.tasks.loader import Task
from tests.fakes.fake_llm import FakeLLM, FakeReply
from tests.solvers.skeleton.gen_support import MINI, ROOT, project_files

MINI_FILES = project_files(MINI / "project")
EPOCHS = 6
ARMS = ("a", "b")
TOTAL = EPOCHS * len(ARMS)


def _eval(
    args: list[str], env: dict[str, str], **kwargs: object
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "harness", "eval", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def _slow_run(
    fake: FakeLLM, task: Task, tmp_path: Path, run_id: str, checks: str
) -> tuple[list[str], dict[str, str], Path]:
    """A run whose every reply is the tiny project, slowly enough to be cut mid-run."""
    fake.script(
        *[
            FakeReply(text=format_reply(MINI_FILES), delay_s=0.4)
            for _ in range(TOTAL * 2)
        ]
    )
    env = {
        **os.environ,
        "OPENAI_API_KEY": "k",
        "HARNESS_CACHE_DIR": str(tmp_path / "cache"),
    }
    out = tmp_path / "results"
    args = [
        "--model", "openai:m", "--base-url", fake.openai_base_url,
        "--tasks", str(task.root), "--variant", "a=none", "--variant", "b=none",
        "--epochs", str(EPOCHS), "--max-concurrency", "2", "--score-slots", "1",
        "--checks", checks, "--out", str(out), "--run-id", run_id,
    ]  # fmt: skip
    return args, env, out


def _wait_for_samples(
    run: subprocess.Popen[str], layout: RunLayout, count: int
) -> None:
    deadline = time.monotonic() + 120
    while len(list(layout.sample_files())) < count:
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "no sample was stored in time"
        time.sleep(0.05)


@pytest.mark.slow
def test_sigkill_mid_run_then_resume_loses_nothing_and_pays_once(
    fake: FakeLLM, task: Task, tmp_path: Path
):
    args, env, out = _slow_run(fake, task, tmp_path, "r1", "ruff,format")
    layout = RunLayout.of(out, "r1")
    first = _eval([*args, "-q"], env, start_new_session=True)
    _wait_for_samples(first, layout, 3)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL

    # Each stored file is a whole record (atomic writes): nothing half-written.
    stored = [
        SampleRecord.model_validate_json(p.read_bytes()) for p in layout.sample_files()
    ]
    assert 3 <= len(stored) < TOTAL
    paid_before = len(fake.requests)
    done_before = {
        r.spec.key: r.generation.started_at for r in stored if r.generation is not None
    }

    resumed = _eval(["--resume", "r1", "--out", str(out), "-q"], env)
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    records = RunStore(layout).samples()
    assert len(records) == TOTAL
    assert all(r.score is not None and r.failure is None for r in records)
    assert {r.spec.arm for r in records} == set(ARMS)
    # Samples generated before the kill were not generated again ...
    for record in records:
        if record.spec.key in done_before:
            assert record.generation is not None
            assert record.generation.started_at == done_before[record.spec.key]
    # ... and every model call paid before the kill was answered from the cache: the
    # resume asked the server only for what had never been answered.
    new_calls = len(fake.requests) - paid_before
    cached = sum(
        r.generation.cached_replies
        for r in records
        if r.spec.key not in done_before and r.generation is not None
    )
    assert new_calls + cached == TOTAL - len(done_before)
    assert len(fake.requests) <= TOTAL + 2  # at most the 2 calls in flight were lost
    # A finished run resumed again has nothing to do and calls nothing.
    calls = len(fake.requests)
    idle = _eval(["--resume", "r1", "--out", str(out), "-q"], env)
    _, stderr = idle.communicate(timeout=120)
    assert idle.returncode == 0, stderr
    assert "0 sample(s) to do" in stderr
    assert len(fake.requests) == calls


@pytest.mark.slow
def test_ctrl_c_says_stopping_at_once_and_the_run_resumes(
    fake: FakeLLM, task: Task, tmp_path: Path
):
    args, env, out = _slow_run(fake, task, tmp_path, "r2", "ruff,format,own_tests")
    layout = RunLayout.of(out, "r2")
    first = _eval(args, env)
    _wait_for_samples(first, layout, 2)
    first.send_signal(signal.SIGINT)
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 130, stderr
    # Said at once, with what is in flight and how to go on; nothing noisy after it.
    resume = f"harness eval --resume r2 --out {out}"
    assert re.search(
        rf"stopping… \(\d+ samples? in flight; the run resumes with `{re.escape(resume)}`\)",
        stderr,
    ), stderr
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    # Whatever was cut short is redone by the resume; nothing is lost.
    resumed = _eval(["--resume", "r2", "--out", str(out), "-q"], env)
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    records = RunStore(layout).samples()
    assert len(records) == TOTAL
    assert all(r.score is not None and r.failure is None for r in records)
