"""Turning a configuration into a run: arms, tasks, the manifest, the sample context.

:func:`start_run` resolves every arm and task, checks the combination can run, writes the
manifest (refusing to overwrite an existing run) and returns a :class:`PreparedRun`.
:func:`resume_run` reads an existing run's manifest and rebuilds the same run, refusing
when a task or a skill changed since it started (its results would mix two versions).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import UsageError
from harness.models.base import GenerationParams
from harness.models.sim import SimSettings
from harness.run.config import EvalConfig
from harness.run.layout import RunLayout
from harness.run.records import ArmEntry, RunManifest, TaskEntry
from harness.run.sample import SampleContext
from harness.run.source import ModelSource
from harness.run.spec import Arm, DeliveryName
from harness.run.store import RunStore
from harness.solvers.base import check_delivery, solver_class
from harness.variants import Delivery
from harness.version import __version__

if TYPE_CHECKING:
    from harness.environment import EvaluationEnvironment
    from harness.sandbox import Sandbox
    from harness.tasks.loader import Task
    from harness.variants import Variant


@dataclass
class PreparedRun:
    """A run ready to execute.

    Attributes:
        config: Its configuration.
        manifest: Its manifest (written).
        store: Its files.
        context: What its samples share.
        source: Where its samples' models come from.
    """

    config: EvalConfig
    manifest: RunManifest
    store: RunStore
    context: SampleContext
    source: ModelSource


def split_delivery(text: str) -> tuple[str, str | None]:
    """``SPEC@DELIVERY`` -> ``(SPEC, DELIVERY)``; no suffix -> ``(SPEC, None)``."""
    head, at, tail = text.rpartition("@")
    if at and tail in {delivery.value for delivery in Delivery}:
        return head, tail
    return text, None


def resolve_arms(
    config: EvalConfig, *, venv: Path | None = None
) -> list[tuple[Arm, Variant]]:
    """Resolve ``--variant`` values into arms with their variants.

    Raises:
        UsageError: For a malformed or unresolvable variant, or two arms with one label.
    """
    from harness.variants import resolve_variant

    factory = solver_class(config.solver)
    default = config.delivery or factory.deliveries[0].value
    resolved: list[tuple[Variant, DeliveryName, bool]] = []
    for text in config.variants:
        spec, fixed = split_delivery(text)
        needs_venv = spec.startswith("pkg:") or "=pkg:" in spec
        variant = resolve_variant(spec, venv=venv if needs_venv else None)
        delivery: DeliveryName = (
            "none" if variant.skill is None else Delivery(fixed or default).value
        )
        if delivery != "none":
            check_delivery(config.solver, Delivery(delivery))
        named = "=" in spec.partition(":")[0]
        resolved.append((variant, delivery, named))
    defaults = [variant.label for variant, _, _ in resolved]
    arms: list[tuple[Arm, Variant]] = []
    for variant, delivery, named in resolved:
        label = variant.label
        if not named and defaults.count(label) > 1 and delivery != "none":
            label = f"{label}-{delivery}"  # the same skill under two deliveries
        arm = Arm(
            label=label,
            variant_spec=variant.spec,
            delivery=delivery,
            solver=config.solver,
        )
        arms.append((arm, variant))
    labels = [arm.label for arm, _ in arms]
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        msg = (
            f"two variants are labelled {', '.join(twice)}: name them, e.g. "
            "--variant inline=path:DIR@inline --variant native=path:DIR@on-demand"
        )
        raise UsageError(msg, option="variants")
    return arms


def resolve_tasks(names: list[str]) -> list[Task]:
    """Suites, selectors (``tag:``, ``probe:``...), task ids and task folders -> tasks.

    Tasks come in order, without repeats.

    Raises:
        UsageError: For a name that matches nothing.
    """
    from harness.tasks import load_task, resolve_suite

    found: dict[str, Task] = {}
    for name in names:
        folder = Path(name)
        chosen = (
            [load_task(folder)]
            if (folder / "task.toml").is_file()
            else resolve_suite(name)
        )
        for task in chosen:
            found.setdefault(task.id, task)
    return list(found.values())


def default_run_id(config: EvalConfig) -> str:
    """``<UTC time>-<model>``, safe as a folder name."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    model = "".join(c if c.isalnum() or c in "-_." else "-" for c in config.model)
    return f"{stamp}-{model}"[:64]


def check_solver(config: EvalConfig) -> None:
    """Fail early, with the fix, when the run's solver cannot run as configured.

    Raises:
        UsageError: For a model the solver cannot call, a sandbox or cost budget it
            cannot run under.
    """
    solver_class(config.solver).check(
        config.model,
        config.base_url,
        sandbox=config.sandbox,
        max_cost_usd=config.max_cost_usd,
    )


def _sim_settings(config: EvalConfig) -> SimSettings:
    return SimSettings.parse(config.sim, empty=config.sim_empty, seed=config.seed)


def _source(config: EvalConfig) -> ModelSource:
    from harness.models.cache import ResponseCache

    return ModelSource(
        config.model,
        cache=ResponseCache(enabled=config.cache),
        base_url=config.base_url,
        max_concurrency=config.max_concurrency,
        results_dir=config.results_dir,
        sim=_sim_settings(config) if config.model == "sim" else None,
    )


def _runtime(config: EvalConfig) -> tuple[EvaluationEnvironment, Sandbox]:
    from harness.environment import HELPERS_DIR, EvaluationEnvironment
    from harness.sandbox import Sandbox

    environment = EvaluationEnvironment()
    environment.ensure_built()
    sandbox = Sandbox.create(config.sandbox, venv=environment.venv, helpers=HELPERS_DIR)
    return environment, sandbox


def _params(config: EvalConfig) -> GenerationParams:
    return GenerationParams(
        temperature=config.temperature,
        max_tokens=config.max_tokens,
        seed=config.seed if config.model not in {"sim", "reference"} else None,
        extra=config.params,
    )


def _manifest(
    config: EvalConfig,
    run_id: str,
    arms: list[tuple[Arm, Variant]],
    tasks: list[Task],
    *,
    environment: EvaluationEnvironment,
    sandbox: Sandbox,
    source: ModelSource,
) -> RunManifest:
    from harness.prompts import prompt_version
    from harness.scoring.models import SCORER_VERSION, EnvironmentSummary
    from harness.scoring.scorer import DEFAULT_WEIGHTS, RECORDED_TOOLS, select_checks
    from harness.tasks.loader import tasks_dir

    checks = select_checks(config.checks)
    baseline = config.baseline or next(
        (arm.label for arm, _ in arms if arm.delivery == "none"), arms[0][0].label
    )
    if baseline not in {arm.label for arm, _ in arms}:
        labels = ", ".join(arm.label for arm, _ in arms)
        msg = f"--baseline {baseline}: no such arm (arms: {labels})"
        raise UsageError(msg, option="baseline")
    packages = environment.packages()
    return RunManifest(
        run_id=run_id,
        harness_version=__version__,
        command=["harness", *sys.argv[1:]],
        model=config.model,
        endpoint=source.endpoint,
        params=_params(config).model_dump(mode="json"),
        epochs=config.epochs,
        seed=config.seed,
        baseline=baseline,
        arms=[
            ArmEntry(
                arm=arm,
                kind=variant.kind,
                content_hash=variant.content_hash,
                revision=variant.revision,
                skill_name=variant.skill.name if variant.skill else None,
            )
            for arm, variant in arms
        ],
        tasks=[
            TaskEntry(
                id=task.id,
                path=None
                if task.root.resolve() == (tasks_dir() / task.id).resolve()
                else str(task.root.resolve()),
                hash=task.content_hash(),
                difficulty=task.config.difficulty,
                kind=task.config.kind,
                probes=list(task.config.probes),
            )
            for task in tasks
        ],
        checks=checks,
        weights={name: DEFAULT_WEIGHTS.get(name, 0.0) for name in checks},
        scorer_version=SCORER_VERSION,
        prompt_version=prompt_version(),
        sandbox=sandbox.describe(),
        environment=EnvironmentSummary(
            lock_hash=environment.lock_hash,
            python=environment.python_version(),
            tools={t: packages[t] for t in RECORDED_TOOLS if t in packages},
        ),
        options=config.model_dump(mode="json"),
        simulated=config.model == "sim",
    )


def _prepared(
    config: EvalConfig,
    manifest: RunManifest,
    layout: RunLayout,
    arms: list[tuple[Arm, Variant]],
    tasks: list[Task],
    runtime: tuple[EvaluationEnvironment, Sandbox],
    source: ModelSource,
) -> PreparedRun:
    environment, sandbox = runtime
    context = SampleContext(
        layout=layout,
        tasks={task.id: task for task in tasks},
        variants={arm.label: variant for arm, variant in arms},
        params=_params(config),
        max_cost_usd=config.max_cost_usd,
        sandbox=sandbox,
        environment=environment,
        checks=manifest.checks,
        weights=manifest.weights,
    )
    return PreparedRun(config, manifest, RunStore(layout), context, source)


def start_run(config: EvalConfig) -> PreparedRun:
    """Resolve and write a new run.

    Raises:
        UsageError: For anything that cannot run, or a run id already taken.
    """
    run_id = config.run_id or default_run_id(config)
    layout = RunLayout.of(config.results_dir, run_id)
    store = RunStore(layout)
    if store.exists():
        msg = (
            f"run {run_id} already exists in {config.results_dir}: continue it with "
            f"--resume {run_id}, or choose another --run-id"
        )
        raise UsageError(msg, option="run_id")
    check_solver(config)
    tasks = resolve_tasks(config.tasks)
    runtime = _runtime(config)
    arms = resolve_arms(config, venv=runtime[0].venv)
    source = _source(config)
    manifest = _manifest(
        config.model_copy(update={"run_id": run_id}),
        run_id,
        arms,
        tasks,
        environment=runtime[0],
        sandbox=runtime[1],
        source=source,
    )
    store.write_manifest(manifest)
    return _prepared(config, manifest, layout, arms, tasks, runtime, source)


def resume_run(
    results_dir: Path, run_id: str, overrides: dict[str, object] | None = None
) -> PreparedRun:
    """Rebuild an existing run from its manifest.

    Args:
        results_dir: Where runs are stored.
        run_id: The run.
        overrides: Options that may change between sessions (``max_concurrency``,
            ``score_slots``, ``score``, ``sandbox``...).

    Raises:
        UsageError: When the run is missing, or a task or skill changed since it started.
    """
    layout = RunLayout.of(results_dir, run_id)
    store = RunStore(layout)
    manifest = store.manifest()
    config = EvalConfig.model_validate(
        manifest.options
        | {"results_dir": str(results_dir)}
        | {k: v for k, v in (overrides or {}).items() if v is not None}
    )
    check_solver(config)
    tasks = resolve_tasks([entry.path or entry.id for entry in manifest.tasks])
    for task, entry in zip(tasks, manifest.tasks, strict=True):
        if task.content_hash() != entry.hash:
            msg = (
                f"task {task.id} changed since run {run_id} started (hash {entry.hash} -> "
                f"{task.content_hash()}): start a new run, or restore the task"
            )
            raise UsageError(msg)
    runtime = _runtime(config)
    arms = resolve_arms(config, venv=runtime[0].venv)
    stored = {entry.arm.label: entry for entry in manifest.arms}
    for arm, variant in arms:
        arm_entry = stored.get(arm.label)
        if arm_entry is None or arm_entry.content_hash != variant.content_hash:
            was = arm_entry.content_hash if arm_entry else "absent"
            msg = (
                f"variant {arm.label} changed since run {run_id} started (hash {was} -> "
                f"{variant.content_hash}): start a new run, or restore the skill"
            )
            raise UsageError(msg)
    return _prepared(config, manifest, layout, arms, tasks, runtime, _source(config))


__all__ = [
    "PreparedRun",
    "check_solver",
    "default_run_id",
    "resolve_arms",
    "resolve_tasks",
    "resume_run",
    "split_delivery",
    "start_run",
]
