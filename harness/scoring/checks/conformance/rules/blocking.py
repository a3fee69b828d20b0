"""Nothing blocks the event loop inside ``async def`` (databases: ``sync_db``)."""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    SourceFile,
    async_calls,
    finding,
)
from harness.scoring.checks.conformance.registry import Outcome, rule
from harness.scoring.results import Finding

_BLOCKING_EXACT = {
    "time.sleep": "time.sleep() stops the event loop: use `await anyio.sleep()`",
    "urllib.request.urlopen": "urlopen() blocks: use httpx.AsyncClient",
    "os.system": "os.system() blocks: use anyio.run_process or a `def` route",
    "open": "open() is blocking file I/O: use anyio.Path or anyio.to_thread.run_sync",
    "httpx.Client": "httpx.Client is synchronous: use httpx.AsyncClient",
}
_BLOCKING_PREFIX = {
    "requests.": "requests is synchronous: use httpx.AsyncClient",
    "subprocess.": "subprocess blocks: use anyio.run_process or a `def` route",
}
_HTTPX_SYNC = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"}
)


def _blocking(file: SourceFile, call: ast.Call) -> str | None:
    name = file.qualify(call.func)
    if name is None:
        return None
    if name == "open" and "open" in file.aliases:
        return None
    if name in _BLOCKING_EXACT:
        return _BLOCKING_EXACT[name]
    for prefix, why in _BLOCKING_PREFIX.items():
        if name.startswith(prefix):
            return why
    head, _, tail = name.rpartition(".")
    if head == "httpx" and tail in _HTTPX_SYNC:
        return f"httpx.{tail}() is synchronous: use httpx.AsyncClient"
    return None


@rule("no-blocking-in-async")
def rule_no_blocking_in_async(index: ProjectIndex) -> Outcome:
    """No blocking call directly inside ``async def``."""
    applicable = False
    findings: list[Finding] = []
    for file in index.app:
        for node in ast.walk(file.tree):
            if not isinstance(node, ast.AsyncFunctionDef):
                continue
            applicable = True
            for call in async_calls(node):
                if why := _blocking(file, call):
                    findings.append(
                        finding(
                            "no-blocking-in-async",
                            file,
                            call,
                            f"in async def {node.name}(): {why} (or make it a `def`)",
                        )
                    )
    return Outcome(applicable=applicable, findings=findings)
