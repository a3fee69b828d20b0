"""What a coding agent adds per sample (CLI start-up, model gateway), next to the builtin loop.

Against the scripted fake (one model call answered at once, nothing written), each agent
works one sample end to end (workspace, sandbox, gateway, transcript), interleaved so that
background load hits every agent alike:

- ``builtin``: the harness's loop (``--mode agent``), the model called in-process;
- ``claude-code`` and ``codex``: the real CLI in the bwrap sandbox, through the gateway.

Printed per agent (medians): the sample's wall time, the seconds from launch to the first
model call (the CLI's start-up in the sandbox), and the gateway's added latency per call
(a streamed call through the gateway's socket minus the same call straight to the fake).

Usage::

    uv run python benchmarks/agent_overhead.py            # 5 samples per agent
    uv run python benchmarks/agent_overhead.py --smoke    # 1 sample per agent (CI)
    uv run python benchmarks/agent_overhead.py --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "fakes"))

from fake_llm import FakeLLM, FakeReply, running_fake_llm  # noqa: E402
from solve_one import solve_one  # noqa: E402

from harness.environment import HELPERS_DIR, EvaluationEnvironment  # noqa: E402
from harness.gateway import Gateway, Upstream  # noqa: E402
from harness.models.budget import Budget  # noqa: E402
from harness.models.registry import load_model  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402
from harness.solvers.coding_agents.clis import CLIS  # noqa: E402
from harness.tasks.loader import get_task  # noqa: E402
from harness.variants import resolve_variant  # noqa: E402

TASK = "crud-notes"
BUDGET = Budget(max_wall_s=120, max_turns=5)


async def _builtin(fake: FakeLLM, box: Sandbox, out: Path) -> dict[str, Any]:
    fake.script(FakeReply(tool_calls=[("finish", {"summary": "done"})]))
    model = load_model("anthropic:claude-sonnet-4-5", base_url=fake.url, api_key="x")
    started = time.monotonic()
    try:
        record = await solve_one(
            get_task(TASK),
            resolve_variant("none"),
            model=model,
            model_spec="anthropic:claude-sonnet-4-5",
            solver="loop",
            epoch=0,
            workspace_dir=out / "workspace",
            transcript_path=out / "t.jsonl",
            budget=BUDGET,
            sandbox=box,
        )
    finally:
        await model.aclose()
    wall = time.monotonic() - started
    return {"wall_s": wall, "first_call_s": None, "ok": record.ok}


async def _cli(agent: str, fake: FakeLLM, box: Sandbox, out: Path) -> dict[str, Any]:
    fake.script(FakeReply(text="Done."))
    claude = agent == "claude-code"
    started = time.monotonic()
    record = await solve_one(
        get_task(TASK),
        resolve_variant("none"),
        solver=agent,
        model_spec="anthropic:claude-sonnet-4-5" if claude else "openai:gpt-5.5",
        epoch=0,
        workspace_dir=out / "workspace",
        transcript_path=out / "t.jsonl",
        budget=BUDGET,
        sandbox=box,
        base_url=fake.url if claude else f"{fake.url}/v1",
    )
    wall = time.monotonic() - started
    return {
        "wall_s": wall,
        "first_call_s": record.agent_startup_s,
        "ok": record.ok,
        "reason": record.reason,
    }


def _stream(client: httpx.Client, url: str) -> float:
    body = {
        "model": "claude-sonnet-4-5",
        "stream": True,
        "messages": [{"role": "user", "content": "x"}],
    }
    started = time.perf_counter()
    with client.stream("POST", url, json=body) as response:
        for _ in response.iter_bytes():
            pass
    return time.perf_counter() - started


async def gateway_latency(fake: FakeLLM, calls: int) -> dict[str, float]:
    """Median seconds of a streamed call straight to the fake and through the gateway."""
    with tempfile.TemporaryDirectory() as scratch:
        sock = Path(scratch) / "gw.sock"
        upstream = Upstream(
            api="anthropic", base_url=fake.url, model="claude-sonnet-4-5"
        )
        async with Gateway(upstream, sock):

            def measure() -> tuple[list[float], list[float]]:
                direct, through = [], []
                with (
                    httpx.Client() as plain,
                    httpx.Client(transport=httpx.HTTPTransport(uds=str(sock))) as gw,
                ):
                    for _ in range(calls):
                        direct.append(_stream(plain, f"{fake.url}/v1/messages"))
                        through.append(_stream(gw, "http://localhost/v1/messages"))
                return direct, through

            direct, through = await asyncio.to_thread(measure)
    return {
        "direct_ms": statistics.median(direct) * 1000,
        "gateway_ms": statistics.median(through) * 1000,
        "added_ms": (statistics.median(through) - statistics.median(direct)) * 1000,
    }


async def main(samples: int, calls: int) -> dict[str, Any]:
    """Run the samples and the latency measure; return every figure."""
    environment = EvaluationEnvironment()
    environment.ensure_built()
    box = Sandbox.create("bwrap", venv=environment.venv, helpers=HELPERS_DIR)
    agents = ["builtin", *(name for name, cli in CLIS.items() if cli.installed())]
    runs: dict[str, list[dict[str, Any]]] = {agent: [] for agent in agents}
    with running_fake_llm() as fake, tempfile.TemporaryDirectory() as scratch:
        for index in range(samples):
            for agent in agents:
                fake.reset()
                out = Path(scratch) / f"{agent}-{index}"
                run = await (
                    _builtin(fake, box, out)
                    if agent == "builtin"
                    else _cli(agent, fake, box, out)
                )
                runs[agent].append(run)
        fake.reset()
        latency = await gateway_latency(fake, calls)
    summary: dict[str, Any] = {"samples": samples, "gateway": latency, "agents": {}}
    for agent, results in runs.items():
        firsts = [r["first_call_s"] for r in results if r["first_call_s"] is not None]
        summary["agents"][agent] = {
            "wall_s": statistics.median(r["wall_s"] for r in results),
            "first_call_s": statistics.median(firsts) if firsts else None,
            "ok": all(r["ok"] for r in results),
        }
    return summary


def _print(summary: dict[str, Any]) -> None:
    builtin = summary["agents"]["builtin"]["wall_s"]
    print(
        f"one-call sample, median of {summary['samples']} (task {TASK}, bwrap sandbox):"
    )
    print(f"{'agent':<12} {'wall s':>8} {'first call s':>13} {'vs builtin s':>13}  ok")
    for agent, row in summary["agents"].items():
        first = f"{row['first_call_s']:.2f}" if row["first_call_s"] is not None else "-"
        extra = row["wall_s"] - builtin
        print(
            f"{agent:<12} {row['wall_s']:>8.2f} {first:>13} {extra:>+13.2f}  {row['ok']}"
        )
    gw = summary["gateway"]
    print(
        f"gateway: a streamed call {gw['direct_ms']:.1f} ms straight to the fake, "
        f"{gw['gateway_ms']:.1f} ms through the gateway ({gw['added_ms']:+.1f} ms per call)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument(
        "--smoke", action="store_true", help="1 sample per agent, 10 calls"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    samples, calls = (1, 10) if args.smoke else (args.samples, args.calls)
    result = asyncio.run(main(samples, calls))
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
