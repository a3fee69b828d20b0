"""The coding-agent CLIs the harness can evaluate: pinned versions, installed with npm.

Each CLI is installed once into ``$HARNESS_AGENTS_DIR`` (default
``$XDG_CACHE_HOME/skill-harness/agents``) as ``<name>-<version>/``, with ``npm install
--prefix``. Both ship a native binary in an optional npm package, so node is needed only to
install, never to run. Versions are pinned: both CLIs change their request shapes and tool
sets between releases (see ``docs/agents.md``).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness.errors import HarnessError, UsageError

_ARCH = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}
_TRIPLE = {"x64": "x86_64-unknown-linux-musl", "arm64": "aarch64-unknown-linux-musl"}
NPM_HINT = "install Node.js and npm (Debian/Ubuntu: `apt-get install nodejs npm`)"


class AgentUnavailableError(HarnessError):
    """A coding-agent CLI is missing or cannot start: an infrastructure failure."""

    exit_code = 2


@dataclass(frozen=True)
class AgentCLI:
    """One pinned coding-agent CLI.

    Attributes:
        name: The ``--agent`` value.
        title: The product's name.
        package: The npm package.
        version: The pinned version.
    """

    name: str
    title: str
    package: str
    version: str

    @property
    def folder(self) -> Path:
        """Where this version is (or will be) installed."""
        return agents_dir() / f"{self.name}-{self.version}"

    @property
    def binary(self) -> Path:
        """The native executable inside :attr:`folder`."""
        modules = self.folder / "node_modules"
        if self.name == "claude-code":
            return modules / "@anthropic-ai/claude-code/bin/claude.exe"
        arch = _ARCH.get(platform.machine().lower(), "x64")
        vendor = modules / f"@openai/codex-linux-{arch}/vendor/{_TRIPLE[arch]}"
        return vendor / "bin/codex"

    @property
    def path_dirs(self) -> list[Path]:
        """Folders of helper programs the CLI expects on PATH (Codex's ``rg``)."""
        if self.name != "codex":
            return []
        return [self.binary.parent.parent / "codex-path"]

    @property
    def install_command(self) -> str:
        """The command that installs this CLI."""
        return f"harness agents install {self.name}"

    def installed(self) -> bool:
        """Whether the binary is present."""
        return self.binary.is_file() and os.access(self.binary, os.X_OK)

    def require(self) -> Path:
        """The binary, or one line naming the command that installs it.

        Raises:
            AgentUnavailableError: When it is not installed.
        """
        if not self.installed():
            msg = (
                f"{self.title} {self.version} is not installed ({self.binary} is missing): "
                f"run `{self.install_command}`"
            )
            raise AgentUnavailableError(msg)
        return self.binary


#: The CLIs, pinned (checked with ``harness agents list``).
CLIS: dict[str, AgentCLI] = {
    cli.name: cli
    for cli in (
        AgentCLI("claude-code", "Claude Code", "@anthropic-ai/claude-code", "2.1.332"),
        AgentCLI("codex", "Codex CLI", "@openai/codex", "0.171.0"),
    )
}


def agents_dir() -> Path:
    """The folder that holds installed CLIs."""
    chosen = os.environ.get("HARNESS_AGENTS_DIR")
    if chosen:
        return Path(chosen)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "skill-harness" / "agents"


def get_cli(name: str) -> AgentCLI:
    """The CLI named ``name``.

    Raises:
        UsageError: For an unknown name.
    """
    if name not in CLIS:
        msg = f"unknown agent CLI {name!r}: choose from {', '.join(CLIS)}"
        raise UsageError(msg)
    return CLIS[name]


def version_of(cli: AgentCLI) -> str | None:
    """What the installed binary says its version is (None when it cannot run)."""
    try:
        done = subprocess.run(  # noqa: S603 - our own installed binary
            [str(cli.binary), "--version"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
            stdin=subprocess.DEVNULL,
            env={"PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    words = done.stdout.split()
    return (
        next((w for w in words if w[:1].isdigit()), None)
        if done.returncode == 0
        else None
    )


def install_cli(cli: AgentCLI, *, force: bool = False) -> str:
    """Install the pinned version with npm (atomically: a temporary folder, then a rename).

    Args:
        cli: The CLI.
        force: Reinstall even when present.

    Returns:
        The version the installed binary reports.

    Raises:
        AgentUnavailableError: When npm is missing, fails, or the binary does not run.
    """
    if cli.installed() and not force:
        return version_of(cli) or cli.version
    npm = shutil.which("npm")
    if npm is None:
        msg = f"npm is not installed, so {cli.title} cannot be: {NPM_HINT}"
        raise AgentUnavailableError(msg)
    cli.folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{cli.name}-", dir=cli.folder.parent))
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv
            [
                npm,
                "install",
                "--prefix",
                str(scratch),
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--loglevel=error",
                f"{cli.package}@{cli.version}",
            ],
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
            timeout=900,
        )
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            msg = (
                f"npm could not install {cli.package}@{cli.version} ({last}): "
                "check that the npm registry is reachable"
            )
            raise AgentUnavailableError(msg)
        if cli.folder.exists():
            shutil.rmtree(cli.folder)
        scratch.rename(cli.folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    version = version_of(cli)
    if version is None:
        msg = (
            f"{cli.title} installed at {cli.folder} but `{cli.binary} --version` fails"
        )
        raise AgentUnavailableError(msg)
    return version


__all__ = [
    "CLIS",
    "NPM_HINT",
    "AgentCLI",
    "AgentUnavailableError",
    "agents_dir",
    "get_cli",
    "install_cli",
    "version_of",
]
