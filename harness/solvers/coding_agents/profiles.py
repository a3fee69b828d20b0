"""How each coding-agent CLI runs headless in the sandbox: command line, environment, API.

Measured facts behind each choice: ``shared/reference/agent-clis.md`` and ``docs/agents.md``.
Both run with stdin at /dev/null (they wait on an open one), their own HOME (and CODEX_HOME),
the workspace at ``/work`` as the working folder, and reach the model only through the gateway
socket bound at ``/gateway``: Claude Code natively (``ANTHROPIC_UNIX_SOCKET``), Codex through
a TCP relay on the sandbox's loopback (``agent_launch.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from harness.sandbox.models import GATEWAY, HELPERS, PLACEHOLDER_KEY, VENV

if TYPE_CHECKING:
    from harness.gateway.wire import Api
    from harness.solvers.coding_agents.clis import AgentCLI

#: Where the CLI's install folder appears inside the sandbox (read-only).
AGENT_DIR = PurePosixPath("/opt/agent")
#: The agent's own HOME inside the sandbox (a writable per-sample folder).
AGENT_HOME = PurePosixPath("/agent-home")
#: The gateway's socket inside the sandbox.
GATEWAY_SOCKET = GATEWAY / "gw.sock"
#: The loopback port of the relay Codex talks to.
RELAY_PORT = 18088
#: Variables that silence Claude Code's telemetry, update checks and error reports.
CLAUDE_QUIET = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_ERROR_REPORTING": "1",
}


#: Claude Code's variables naming the models it calls besides ``--model``.
PINNED_MODEL_VARS = (
    "ANTHROPIC_MODEL",
    "ANTHROPIC_SMALL_FAST_MODEL",
    "ANTHROPIC_DEFAULT_HAIKU_MODEL",
    "ANTHROPIC_DEFAULT_SONNET_MODEL",
    "ANTHROPIC_DEFAULT_OPUS_MODEL",
    "ANTHROPIC_DEFAULT_FABLE_MODEL",
    "CLAUDE_CODE_SUBAGENT_MODEL",
)


@dataclass(frozen=True)
class Launch:
    """What to run in the sandbox for one sample.

    Attributes:
        argv: The command, with sandbox paths.
        env: Variables added to the sandbox's allow-listed environment.
    """

    argv: list[str]
    env: dict[str, str]


def _inside(cli: AgentCLI, host_path: object) -> PurePosixPath:
    """A path of the CLI's install folder as the sandbox sees it."""
    rel = PurePosixPath(str(host_path)).relative_to(PurePosixPath(str(cli.folder)))
    return AGENT_DIR / rel


def _path(cli: AgentCLI) -> str:
    extra = [str(_inside(cli, d)) for d in cli.path_dirs]
    return ":".join([*extra, f"{VENV}/bin", "/usr/local/bin", "/usr/bin", "/bin"])


def api_of(agent: str) -> Api:
    """The wire API an agent speaks."""
    return "anthropic" if agent == "claude-code" else "responses"


def claude_code(cli: AgentCLI, prompt: str, model: str) -> Launch:
    """Claude Code: ``claude -p`` with stream-json output, every permission granted.

    Permissions: the harness's sandbox is the boundary, so the agent may run commands
    (``bypassPermissions``, allowed as root only with ``IS_SANDBOX=1``).
    """
    argv = [
        str(_inside(cli, cli.binary)),
        "-p",
        prompt,
        "--output-format",
        "stream-json",
        "--verbose",
        "--permission-mode",
        "bypassPermissions",
        "--model",
        model,
    ]
    env = {
        "HOME": str(AGENT_HOME),
        "PATH": _path(cli),
        "IS_SANDBOX": "1",
        # Every model alias (subagents, the small fast model) resolves to the sample's model:
        # the gateway refuses a call for any other.
        **dict.fromkeys(PINNED_MODEL_VARS, model),
        "ANTHROPIC_BASE_URL": "http://localhost",
        "ANTHROPIC_UNIX_SOCKET": str(GATEWAY_SOCKET),
        "ANTHROPIC_API_KEY": PLACEHOLDER_KEY,
        **CLAUDE_QUIET,
    }
    return Launch(argv, env)


def codex(cli: AgentCLI, prompt: str, model: str) -> Launch:
    """Codex CLI: ``codex exec --json`` with a custom Responses provider behind the relay.

    The built-in ``openai`` provider tries a WebSocket first; a custom provider POSTs at
    once. Codex's own sandbox is off: the harness's sandbox is the boundary (its nested
    namespaces are refused there anyway).
    """
    provider = {
        "name": "harness",
        "base_url": f"http://127.0.0.1:{RELAY_PORT}/v1",
        "wire_api": "responses",
    }
    config = [
        f'model="{model}"',
        'model_provider="harness"',
        *(f'model_providers.harness.{k}="{v}"' for k, v in provider.items()),
        "analytics.enabled=false",
        # Codex sends the provider-side web_search tool otherwise; the gateway refuses it.
        'web_search="disabled"',
    ]
    argv = [
        f"{VENV}/bin/python",
        f"{HELPERS}/agent_launch.py",
        "--relay",
        f"127.0.0.1:{RELAY_PORT}={GATEWAY_SOCKET}",
        "--",
        str(_inside(cli, cli.binary)),
        "exec",
        "--json",
        "--skip-git-repo-check",
        "--ephemeral",
        "--dangerously-bypass-approvals-and-sandbox",
        "--disable",
        "plugins",
        *(word for item in config for word in ("-c", item)),
        prompt,
    ]
    env = {
        "HOME": str(AGENT_HOME),
        "CODEX_HOME": str(AGENT_HOME / ".codex"),
        "PATH": _path(cli),
    }
    return Launch(argv, env)


def launch_for(agent: str, cli: AgentCLI, prompt: str, model: str) -> Launch:
    """The launch of ``agent`` (``claude-code`` or ``codex``)."""
    return (
        claude_code(cli, prompt, model)
        if agent == "claude-code"
        else codex(cli, prompt, model)
    )


__all__ = [
    "AGENT_DIR",
    "AGENT_HOME",
    "GATEWAY_SOCKET",
    "PINNED_MODEL_VARS",
    "RELAY_PORT",
    "Launch",
    "api_of",
    "claude_code",
    "codex",
    "launch_for",
]
