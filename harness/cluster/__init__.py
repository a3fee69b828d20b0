"""Past one machine: where a run's samples run (``--executor local|ray``).

:func:`make_executor` picks the run's executor: ``None`` for ``local`` (the scheduler's
own :class:`~harness.run.scheduler.LocalExecutor`, unchanged), or a
:class:`~harness.cluster.ray_executor.RayExecutor`, imported only then (Ray is the
optional extra ``skill-harness[ray]``). The pieces: :mod:`~harness.cluster.bundle`
(folders as bytes), :mod:`~harness.cluster.node` (a worker's environment check),
:mod:`~harness.cluster.worker` (what a node does), :mod:`~harness.cluster.endpoint` (the
driver's model endpoint for workers' agents). Set-up of a real cluster: ``docs/cluster.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.run.prepare import PreparedRun
    from harness.run.scheduler import Executor


def check_executor(name: str) -> None:
    """Refuse, before any work, an executor that cannot run here.

    Raises:
        UsageError: For ``ray`` without Ray installed (the message names the fix).
    """
    if name == "ray":
        from harness.cluster.ray_executor import import_ray

        import_ray()


def make_executor(run: PreparedRun) -> Executor | None:
    """The run's executor (None: the local one).

    Raises:
        UsageError: For ``ray`` without Ray installed, or a cluster that cannot be reached.
    """
    if run.config.executor == "local":
        return None
    from harness.cluster.ray_executor import RayExecutor

    return RayExecutor(run)


__all__ = ["check_executor", "make_executor"]
