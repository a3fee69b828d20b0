"""A worker node's readiness: the same evaluation environment as the driver, and a sandbox.

Every node needs what the driver has: the harness, bubblewrap, and the evaluation
environment built from the same ``uv.lock``. A worker builds the environment itself on
first use (``harness env build``, once per node: a file lock keeps the node's worker
processes from building it twice; the build is keyed by the lock's hash, so a rebuilt lock
is rebuilt once). A node whose lock hash or harness version differs from the driver's
refuses the work with one line (:class:`NodeRefusedError`), which the driver records as an
infrastructure failure: scores made in another environment would not be comparable.
"""

from __future__ import annotations

import fcntl
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.environment import HELPERS_DIR, EvaluationEnvironment
from harness.errors import HarnessError
from harness.safefs import scratch_folder
from harness.sandbox.types import VENV_PYTHON, SandboxLimits, SandboxRequest
from harness.version import __version__

if TYPE_CHECKING:
    from harness.sandbox import Sandbox, SandboxKind


class NodeRefusedError(HarnessError):
    """This node cannot do the driver's work (another environment, no sandbox)."""


@dataclass(frozen=True)
class NodeRequirements:
    """What a node must match to take a run's work.

    Attributes:
        lock_hash: The driver's evaluation environment lock hash.
        harness_version: The driver's harness version.
        sandbox: The sandbox backend the run uses.
    """

    lock_hash: str
    harness_version: str
    sandbox: SandboxKind


def requirements_of(
    environment: EvaluationEnvironment, sandbox: SandboxKind
) -> NodeRequirements:
    """What the driver's own environment asks of every node."""
    return NodeRequirements(
        lock_hash=environment.lock_hash,
        harness_version=__version__,
        sandbox=sandbox,
    )


def node_cache() -> Path:
    """This node's cache for the cluster's files (``$XDG_CACHE_HOME/skill-harness/cluster``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "skill-harness" / "cluster"


_READY: dict[NodeRequirements, tuple[EvaluationEnvironment, Sandbox]] = {}


def prepare_node(
    wanted: NodeRequirements,
) -> tuple[EvaluationEnvironment, Sandbox]:
    """This node's environment (built on first use) and sandbox, checked against ``wanted``.

    Cached per worker process.

    Raises:
        NodeRefusedError: When the node's environment or harness differs from the
            driver's, the environment cannot be built, or the sandbox cannot run here.
    """
    if wanted in _READY:
        return _READY[wanted]
    from harness.sandbox import Sandbox

    host = socket.gethostname()
    environment = EvaluationEnvironment()
    try:
        found = environment.lock_hash
    except HarnessError as error:
        msg = f"node {host} refused the work: {error}"
        raise NodeRefusedError(msg) from None
    if found != wanted.lock_hash:
        msg = (
            f"node {host} refused the work: its evaluation environment is {found}, the "
            f"driver's {wanted.lock_hash} (give every node the same evals/environment/"
            "uv.lock: docs/cluster.md)"
        )
        raise NodeRefusedError(msg)
    if __version__ != wanted.harness_version:
        msg = (
            f"node {host} refused the work: it runs harness {__version__}, the driver "
            f"{wanted.harness_version} (install the same harness on every node)"
        )
        raise NodeRefusedError(msg)
    try:
        _build_once(environment)
        sandbox = Sandbox.create(
            wanted.sandbox, venv=environment.venv, helpers=HELPERS_DIR
        )
    except HarnessError as error:
        msg = f"node {host} refused the work: {error}"
        raise NodeRefusedError(msg) from None
    _READY[wanted] = (environment, sandbox)
    return environment, sandbox


def _build_once(environment: EvaluationEnvironment) -> None:
    """Build the environment if needed, one worker process of the node at a time."""
    if environment.is_built():
        return
    environment.cache_dir.mkdir(parents=True, exist_ok=True)
    lock = environment.cache_dir / "build.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            environment.ensure_built()  # a no-op if another process just built it
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main() -> int:
    """``python -m harness.cluster.node``: make this node ready and say so in one line.

    Builds the evaluation environment if needed and starts the sandbox once; the exit
    status is 1 (with the reason) when the node could not take a run's work.
    """
    environment = EvaluationEnvironment()
    try:
        wanted = requirements_of(environment, "bwrap")
        _, sandbox = prepare_node(wanted)
        with scratch_folder("hs-node-") as work:
            probe = sandbox.run(
                SandboxRequest(argv=[VENV_PYTHON, "-c", "print('ok')"], workspace=work)
            )
    except HarnessError as error:
        print(f"node not ready: {error}", file=sys.stderr)  # noqa: T201 - the command's output
        return 1
    if probe.stdout.strip() != "ok":
        why = probe.describe_failure(SandboxLimits()) or probe.stderr.strip()[-300:]
        print(f"node not ready: the sandbox cannot run Python: {why}", file=sys.stderr)  # noqa: T201
        return 1
    print(  # noqa: T201 - the command's output
        f"node {socket.gethostname()} ready: environment {wanted.lock_hash}, harness "
        f"{wanted.harness_version}, {sandbox.describe()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "NodeRefusedError",
    "NodeRequirements",
    "main",
    "node_cache",
    "prepare_node",
    "requirements_of",
]
