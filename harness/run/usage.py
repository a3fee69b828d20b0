"""Per-sample token use and times, measured in a stored run or assumed, for a forecast.

Two sources feed :mod:`harness.run.forecast`:

- **measured** (:class:`StoredUsage`): a stored run's records give, per task and arm, the
  tokens of every sample (``generation.usage``: input, output, cache read and write), its
  generation time, and its scoring time (the sum of its checks' durations). Tokens and
  generation times count only when the run used a real model (``anthropic:``,
  ``openai:``): ``sim``, ``reference`` and ``replay:`` call none. Scoring times count from
  any run: every run scores real projects in the sandbox.
- **assumed** (:func:`assumed_tokens`), named as such wherever shown: the prompt as the
  harness renders it for the task and arm (4 characters per token), a reply the size of
  the task's gold project (+10% for fences and paths); with a multi-turn solver (``loop``,
  a coding agent) :data:`AGENT_TURNS`
  model calls whose context grows linearly from the prompt to the prompt plus the
  project. Generation time is assumed at :data:`OUTPUT_TOKENS_PER_S` plus
  :data:`CALL_LATENCY_S` per call, scoring time at :data:`SCORING_S`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from harness.models.registry import API_PROVIDERS, parse_spec

if TYPE_CHECKING:
    from pathlib import Path

    from harness.run.records import RunManifest, SampleRecord
    from harness.run.spec import Arm
    from harness.tasks.loader import Task
    from harness.variants import Variant

#: Characters per token of the assumed figures (English prose and code, roughly).
CHARS_PER_TOKEN = 4.0
#: A reply is assumed this much larger than the gold project (fences, paths, prose).
REPLY_OVERHEAD = 1.1
#: Model calls a multi-turn sample is assumed to make (at most the task's turn limit).
AGENT_TURNS = 20
#: Output speed and per-call latency assumed for generation time.
OUTPUT_TOKENS_PER_S = 50.0
CALL_LATENCY_S = 2.0
#: Scoring seconds per sample assumed without a stored run: ``benchmarks/eval_bench.py``,
#: 198 reference samples on an idle 2-core machine, one slot (README).
SCORING_S = 5.65


class TokenUse(BaseModel):
    """Tokens of one sample (means, so fractional).

    Attributes:
        input: Uncached input tokens.
        output: Output tokens.
        cache_read: Input tokens read from the provider's prompt cache.
        cache_write: Input tokens written to it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = 0.0
    output: float = 0.0
    cache_read: float = 0.0
    cache_write: float = 0.0

    @property
    def total(self) -> float:
        """All tokens."""
        return self.input + self.output + self.cache_read + self.cache_write


def mean_use(uses: list[TokenUse]) -> TokenUse:
    """The mean of several samples' token use."""
    return TokenUse(
        input=fmean(u.input for u in uses),
        output=fmean(u.output for u in uses),
        cache_read=fmean(u.cache_read for u in uses),
        cache_write=fmean(u.cache_write for u in uses),
    )


@dataclass
class StoredUsage:
    """What a stored run measured, per ``(task, arm)``.

    Attributes:
        run_id: The run.
        model: Its model spec.
        real_model: Whether it called a real model (its tokens and times count).
        arms: Its arms by label.
        tokens: Per task and arm, each sample's tokens (real models only).
        generation_s: Per task and arm, each sample's generation seconds (real models).
        scoring_s: Per task, each scored sample's scoring seconds (all arms).
    """

    run_id: str
    model: str
    real_model: bool
    arms: dict[str, Arm]
    tokens: dict[tuple[str, str], list[TokenUse]] = field(default_factory=dict)
    generation_s: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    scoring_s: dict[str, list[float]] = field(default_factory=dict)

    def match_arm(self, arm: Arm) -> str | None:
        """The stored arm that stands for a planned one.

        The same label, else the same variant and delivery, else the only stored arm of
        the same kind (baseline or skill).
        """
        if arm.label in self.arms:
            return arm.label
        for label, stored in self.arms.items():
            if (
                stored.variant_spec == arm.variant_spec
                and stored.delivery == arm.delivery
            ):
                return label
        same = [
            label
            for label, stored in self.arms.items()
            if (stored.delivery == "none") == (arm.delivery == "none")
        ]
        return same[0] if len(same) == 1 else None


def stored_usage(manifest: RunManifest, records: list[SampleRecord]) -> StoredUsage:
    """Collect a stored run's measured figures (rules in the module docstring)."""
    provider, _ = parse_spec(manifest.model)
    found = StoredUsage(
        run_id=manifest.run_id,
        model=manifest.model,
        real_model=provider in API_PROVIDERS,
        arms={entry.arm.label: entry.arm for entry in manifest.arms},
    )
    tokens: dict[tuple[str, str], list[TokenUse]] = defaultdict(list)
    generation: dict[tuple[str, str], list[float]] = defaultdict(list)
    scoring: dict[str, list[float]] = defaultdict(list)
    for record in records:
        key = (record.spec.task, record.spec.arm)
        gen = record.generation
        if found.real_model and gen is not None and not record.infra_failed:
            usage = gen.usage
            tokens[key].append(
                TokenUse(
                    input=usage.input_tokens,
                    output=usage.output_tokens,
                    cache_read=usage.cache_read_tokens,
                    cache_write=usage.cache_write_tokens,
                )
            )
            generation[key].append(gen.wall_s)
        if record.score is not None:
            scoring[record.spec.task].append(
                sum(check.duration_s for check in record.score.checks)
            )
    found.tokens, found.generation_s, found.scoring_s = (
        dict(tokens),
        dict(generation),
        dict(scoring),
    )
    return found


def _text_chars(folder: Path | None) -> int:
    """Characters of a project's text files (the size of a reply that writes it)."""
    from harness.project import load_project, read_bytes_safely

    if folder is None or not folder.is_dir():
        return 0
    project = load_project(folder)
    total = 0
    for rel in project.files:
        data = read_bytes_safely(folder, rel)
        if data is not None and b"\0" not in data[:8192]:
            total += len(data.decode("utf-8", "replace")) + len(rel)
    return total


def prompt_chars(task: Task, variant: Variant, arm: Arm) -> int:
    """Characters of the system prompt and first message the arm's solver sends.

    The solver's own :meth:`~harness.solvers.base.Solver.prompts` builds them, exactly as
    for a sample; on demand, the model is assumed to open SKILL.md once.
    """
    from harness.solvers.base import solver_class
    from harness.solvers.skeleton import budget_for
    from harness.variants import Delivery

    factory = solver_class(arm.solver)
    skill = variant.skill if arm.delivery != "none" else None
    delivery = Delivery(arm.delivery) if skill is not None else factory.deliveries[0]
    placed = skill is not None and factory.skill_folder(skill) is not None
    prompts = factory.prompts(
        task, skill, delivery, placed=placed, budget=budget_for(task)
    )
    opened = (
        len(skill.files.get("SKILL.md", b"").decode("utf-8", "replace"))
        if skill is not None and delivery is Delivery.on_demand
        else 0
    )
    return len(prompts.system) + len(prompts.user) + opened


def one_call(solver: str) -> bool:
    """Whether ``solver`` makes a single model call per sample (``oneshot``)."""
    return solver == "oneshot"


def assumed_tokens(task: Task, variant: Variant, arm: Arm) -> TokenUse:
    """A sample's tokens when no stored run measured them (see the module docstring)."""
    prompt = prompt_chars(task, variant, arm) / CHARS_PER_TOKEN
    reply = _text_chars(task.reference_dir) / CHARS_PER_TOKEN * REPLY_OVERHEAD
    if one_call(arm.solver):
        return TokenUse(input=prompt, output=reply)
    turns = min(AGENT_TURNS, task.config.limits.turns)
    return TokenUse(input=turns * (prompt + reply / 2.0), output=reply)


def assumed_generation_s(use: TokenUse, solver: str, turns: int) -> float:
    """Generation seconds assumed for a sample with ``use`` tokens."""
    calls = 1 if one_call(solver) else min(AGENT_TURNS, turns)
    return use.output / OUTPUT_TOKENS_PER_S + calls * CALL_LATENCY_S


__all__ = [
    "AGENT_TURNS",
    "CALL_LATENCY_S",
    "CHARS_PER_TOKEN",
    "OUTPUT_TOKENS_PER_S",
    "REPLY_OVERHEAD",
    "SCORING_S",
    "StoredUsage",
    "TokenUse",
    "assumed_generation_s",
    "assumed_tokens",
    "mean_use",
    "one_call",
    "prompt_chars",
    "stored_usage",
]
