"""``--executor ray``: a run's samples on a Ray cluster, its store and keys on the driver.

What runs where:

- **scoring**: every sample is scored by a Ray task (``score_cpus`` CPUs each, at most
  ``score_slots`` at once across the cluster): its workspace travels as bytes (read on the
  driver without following a link), the score comes back;
- **coding agents** (``claude-code``, ``codex``): the whole generate step runs on a worker,
  the CLI in that node's sandbox, its sample gateway forwarding to the driver's
  :class:`~harness.cluster.endpoint.ClusterEndpoint` with the run token; the workspace and
  transcripts come back as bytes;
- **the builtin solvers** (``oneshot``, ``loop``) stay on the driver, because their model
  client, the response cache and the key live there; the loop's sandboxed commands run on
  workers (:class:`RaySandbox`), each over a copy of the workspace whose changes come back.

Only the driver writes the run store, so resume, the cache, ``rescore``, reports and
statistics are those of a local run. A worker killed mid-task is retried by Ray
(``max_retries``) on another worker; the record is stored once, when the task's result
arrives. A task that fails for good is an infrastructure failure of its sample, redone by
``--resume RUN --retry-errors``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import time
from typing import TYPE_CHECKING, Any

from harness.cluster.bundle import (
    FolderPack,
    apply_changes,
    bundle_task,
    pack_folder,
    unpack_folder,
)
from harness.cluster.endpoint import ClusterEndpoint
from harness.cluster.node import requirements_of
from harness.cluster.worker import (
    CommandJob,
    Generated,
    GenerateJob,
    ScoreJob,
    generate_on_node,
    run_on_node,
    score_on_node,
)
from harness.errors import UsageError
from harness.run.records import Failure, SampleRecord, now
from harness.run.sample import generate_sample
from harness.safefs import remove_tree
from harness.sandbox import Sandbox
from harness.sandbox.types import SECRET_NAME
from harness.solvers.base import solver_class

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from types import ModuleType

    from harness.run.layout import RunLayout
    from harness.run.prepare import PreparedRun
    from harness.run.records import Stage
    from harness.run.sample import SampleContext
    from harness.run.source import ModelSource
    from harness.run.spec import SampleSpec
    from harness.sandbox import SandboxedProcess, SandboxRequest, SandboxResult

logger = logging.getLogger(__name__)

#: The one line shown when the extra is missing.
RAY_MISSING = (
    "--executor ray needs Ray: run `uv sync --extra ray` "
    "(or `pip install 'skill-harness[ray]'`)"
)
#: Attempts of a Ray task after its worker process died (Ray's ``max_retries``).
MAX_RETRIES = 3


def import_ray() -> ModuleType:
    """The ``ray`` module (only ever imported here).

    Ray's ``uv run`` hook would start workers with a ``uv run`` of their own, without
    the extra; the harness's workers run the node's installed harness instead.

    Raises:
        UsageError: When Ray is not installed (the message names the fix).
    """
    os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
    try:
        import ray
        from ray._private import ray_constants
    except ImportError:
        raise UsageError(RAY_MISSING) from None
    if os.environ["RAY_ENABLE_UV_RUN_RUNTIME_ENV"] == "0":
        # Read when ray is first imported: another import may have come first.
        ray_constants.RAY_ENABLE_UV_RUN_RUNTIME_ENV = False
    module: ModuleType = ray  # typed the same with or without Ray's stubs installed
    return module


@contextlib.contextmanager
def without_secrets() -> Iterator[None]:
    """This process's environment without secret-named variables, for a while.

    A local Ray's processes (and so its workers) inherit the environment of the process
    that starts them: the keys must not be there.
    """
    hidden = {k: v for k, v in os.environ.items() if SECRET_NAME.search(k)}
    for name in hidden:
        del os.environ[name]
    try:
        yield
    finally:
        os.environ.update(hidden)


def connect(address: str | None = None, **local: Any) -> bool:  # noqa: ANN401
    """Join the Ray cluster at ``address`` (else ``$RAY_ADDRESS``), or start a local one.

    Args:
        address: A cluster's address (``HOST:PORT``, ``ray://...``, ``auto``).
        local: Options for a local Ray (``num_cpus``...).

    Returns:
        Whether this call connected (False: this process already was).

    Raises:
        UsageError: When Ray is missing or the cluster cannot be reached.
    """
    ray = import_ray()
    if ray.is_initialized():
        return False
    address = address or os.environ.get("RAY_ADDRESS") or None
    options: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
    try:
        if address:
            ray.init(address=address, **options)
        else:  # "local": a new Ray for this run, even beside one already running
            with without_secrets():
                ray.init(address="local", include_dashboard=False, **options, **local)
    except Exception as error:  # noqa: BLE001 - Ray raises bare Exception on a slow start
        first = str(error).strip().splitlines()[0][:200] if str(error) else ""
        hint = (
            "check --ray-address"
            if address
            else "or start Ray yourself (`ray start --head`) and pass --ray-address"
        )
        what = f"reach {address}" if address else "start a local Ray"
        msg = f"could not {what}: {first} ({hint})"
        raise UsageError(msg) from None
    return True


def one_line(error: BaseException) -> str:
    """A Ray error in one line: the worker's own exception, not Ray's wrapping of it."""
    cause = getattr(error, "cause", None)
    if isinstance(cause, BaseException):
        error = cause
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    text = lines[-1] if lines else ""
    return f"{type(error).__name__}: {text}"[:500]


def _failed(
    spec: SampleSpec, record: SampleRecord | None, error: Exception, stage: Stage
) -> SampleRecord:
    reason = f"the Ray task failed: {one_line(error)}"
    logger.warning("%s: %s", spec.describe(), reason)
    failure = Failure(stage=stage, kind="infra", reason=reason)
    if record is None:
        return SampleRecord(spec=spec, failure=failure, generated_at=now())
    return record.model_copy(update={"failure": failure, "score": None})


class RaySandbox(Sandbox):
    """A sandbox whose commands run on a worker, over a copy of the workspace.

    The builtin loop writes files on the driver and runs each command here: the workspace
    (and any read-only mount, such as the staged skill) travels to a worker, the command
    runs in that node's sandbox, and its changes to the workspace come back.
    """

    def __init__(
        self,
        local: Sandbox,
        submit: Callable[[CommandJob], tuple[SandboxResult, FolderPack]],
        job: Callable[..., CommandJob],
    ) -> None:
        super().__init__(local.backend, local.cgroups)
        self._submit = submit
        self._job = job

    def run(self, request: SandboxRequest) -> SandboxResult:
        """Run a command on a worker; apply its workspace changes here."""
        before = pack_folder(request.workspace)
        mounts = tuple(pack_folder(mount.source) for mount in request.mounts)
        result, after = self._submit(self._job(request, before, mounts))
        if request.workspace_writable:
            apply_changes(request.workspace, before, after)
        return result

    def spawn(self, request: SandboxRequest) -> SandboxedProcess:
        """Background commands run only where their workspace is (not used remotely).

        Raises:
            NotImplementedError: Always.
        """
        del request
        msg = "a background command cannot run on a cluster worker"
        raise NotImplementedError(msg)


class RayExecutor:
    """Generate and score a run's samples on a Ray cluster; see the module docstring.

    Args:
        run: The run.
        address: The cluster (default: ``$RAY_ADDRESS``, else a local Ray).
    """

    def __init__(self, run: PreparedRun, address: str | None = None) -> None:
        self.ray = import_ray()
        self.started = connect(address or run.config.ray_address)
        self.run = run
        config = run.config
        environment = run.context.environment
        if environment is None:
            msg = "the Ray executor needs the evaluation environment"
            raise UsageError(msg)
        self.wanted = requirements_of(environment, config.sandbox)
        self.slots = config.score_slots or max(1, self._cpus())
        self._remote_score = self.ray.remote(
            num_cpus=config.score_cpus, max_retries=MAX_RETRIES
        )(score_on_node)
        self._remote_generate = self.ray.remote(num_cpus=1, max_retries=MAX_RETRIES)(
            generate_on_node
        )
        self._remote_command = self.ray.remote(num_cpus=1, max_retries=MAX_RETRIES)(
            run_on_node
        )
        self._tasks: dict[str, Any] = {}
        self._gate: asyncio.Semaphore | None = None
        self._endpoint: ClusterEndpoint | None = None
        self._endpoint_lock: asyncio.Lock | None = None
        self._closed = False
        self._workers = (0.0, 0)
        #: Sandboxed commands run on workers for the builtin loop (for the record).
        self.commands_run = 0

    # Facts ----------------------------------------------------------------------------------

    def _cpus(self) -> int:
        return int(self.ray.cluster_resources().get("CPU", 0))

    def workers(self) -> int | None:
        """CPUs in the cluster now (refreshed every few seconds).

        After :meth:`close` (Ray shut down) the last count stands: the progress line
        draws once more when it stops, and Ray's state API refuses a stopped Ray.
        """
        at, count = self._workers
        if self._closed or not self.ray.is_initialized():
            return count
        if time.monotonic() - at > 5:
            count = self._cpus()
            self._workers = (time.monotonic(), count)
        return count

    def _task_ref(self, task_id: str) -> Any:  # noqa: ANN401 - a Ray ObjectRef
        """The task's bundle in the object store (put once, fetched once per node)."""
        if task_id not in self._tasks:
            task = self.run.context.tasks[task_id]
            entry = next(e for e in self.run.manifest.tasks if e.id == task_id)
            self._tasks[task_id] = self.ray.put(
                bundle_task(task.root, task_id, entry.hash)
            )
        return self._tasks[task_id]

    # Scoring --------------------------------------------------------------------------------

    async def score(self, ctx: SampleContext, record: SampleRecord) -> SampleRecord:
        """Score one sample on a worker (at most ``slots`` at once, cluster-wide)."""
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.slots)
        spec = record.spec
        async with self._gate:
            try:
                pack = await asyncio.to_thread(pack_folder, ctx.layout.workspace(spec))
                job = ScoreJob(
                    wanted=self.wanted,
                    run_id=self.run.manifest.run_id,
                    record=record,
                    workspace=pack,
                    checks=ctx.checks,
                    weights=ctx.weights,
                )
                scored: SampleRecord = await self._remote_score.remote(
                    job, self._task_ref(spec.task)
                )
            except Exception as error:  # noqa: BLE001 - a recorded failure, never a lost run
                return _failed(spec, record, error, "score")
        return scored

    # Generation -----------------------------------------------------------------------------

    async def generate(
        self, ctx: SampleContext, source: ModelSource, spec: SampleSpec
    ) -> SampleRecord:
        """A coding agent's sample on a worker; a builtin solver's here, commands remote."""
        if not solver_class(spec.solver).uses_model_client:
            return await self._generate_remote(ctx, spec)
        if ctx.sandbox is not None:
            ctx = dataclasses.replace(ctx, sandbox=self._sandbox(ctx.sandbox))
        return await generate_sample(ctx, source, spec)

    def _sandbox(self, local: Sandbox) -> RaySandbox:
        def job(
            request: SandboxRequest,
            workspace: FolderPack,
            mounts: tuple[FolderPack, ...],
        ) -> CommandJob:
            return CommandJob(self.wanted, request, workspace, mounts)

        def submit(job: CommandJob) -> tuple[SandboxResult, FolderPack]:
            done: tuple[SandboxResult, FolderPack] = self.ray.get(
                self._remote_command.remote(job)
            )
            self.commands_run += 1
            return done

        return RaySandbox(local, submit, job)

    async def _generate_remote(
        self, ctx: SampleContext, spec: SampleSpec
    ) -> SampleRecord:
        try:
            endpoint = await self._start_endpoint(spec)
            job = GenerateJob(
                wanted=self.wanted,
                run_id=self.run.manifest.run_id,
                spec=spec,
                variant=ctx.variants[spec.arm],
                params=ctx.params,
                max_cost_usd=ctx.max_cost_usd,
                upstream=endpoint.route(),
            )
            generated: Generated = await self._remote_generate.remote(
                job, self._task_ref(spec.task)
            )
            await asyncio.to_thread(store_files, ctx.layout, spec, generated)
        except Exception as error:  # noqa: BLE001 - a recorded failure, never a lost run
            return _failed(spec, None, error, "generate")
        return generated.record

    async def _start_endpoint(self, spec: SampleSpec) -> ClusterEndpoint:
        """The driver's model endpoint, started on first use in this event loop."""
        if self._endpoint_lock is None:
            self._endpoint_lock = asyncio.Lock()
        async with self._endpoint_lock:
            if self._endpoint is None:
                from harness.solvers.coding_agents.solver import upstream_for

                config = self.run.config
                samples = len(self.run.manifest.specs())
                endpoint = ClusterEndpoint(
                    upstream_for(spec.solver, spec.model, config.base_url),
                    host=self.ray.util.get_node_ip_address(),
                    api_concurrency=config.api_concurrency or config.max_concurrency,
                    max_cost_usd=config.max_cost_usd * samples
                    if config.max_cost_usd is not None
                    else None,
                )
                self._endpoint = await endpoint.__aenter__()
            return self._endpoint

    @property
    def endpoint(self) -> ClusterEndpoint | None:
        """The driver's model endpoint, once a coding agent started it.

        Kept, stopped, after :meth:`aclose`, for its counts.
        """
        return self._endpoint

    async def aclose(self) -> None:
        """Stop the endpoint (the run token dies with it) and a Ray this run started."""
        if self._endpoint is not None and not self._closed:
            await self._endpoint.__aexit__(None, None, None)
        self._closed = True
        if self.started:
            self.ray.shutdown()
            self.started = False


def store_files(layout: RunLayout, spec: SampleSpec, generated: Generated) -> None:
    """Write a sample generated elsewhere into the run layout (a leftover is replaced)."""
    workspace = layout.workspace(spec)
    if workspace.exists():
        remove_tree(workspace)
    workspace.parent.mkdir(parents=True, exist_ok=True)
    unpack_folder(generated.workspace, workspace)
    unpack_folder(generated.transcripts, layout.transcript(spec).parent)


__all__ = [
    "MAX_RETRIES",
    "RAY_MISSING",
    "RayExecutor",
    "RaySandbox",
    "connect",
    "import_ray",
    "one_line",
    "store_files",
    "without_secrets",
]
