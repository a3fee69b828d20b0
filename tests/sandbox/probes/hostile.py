"""Hostile probes: each tries one attack and reports what it managed, as JSON on stdout.

Usage: ``python hostile.py MARKER ATTACK [ARGS...]``. MARKER is a unique word that stays in
the command line of every process the probe forks (no exec), so the test can find any
survivor through ``/proc/*/cmdline``.

Every probe bounds itself (attempt counts, byte counts, deadlines) so that a broken sandbox
cannot harm the machine: at most 2000 processes that each exit within 15 s, at most 2 GiB of
memory, at most 300 MiB of output, at most 20 s of life for a daemon.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

MIB = 1024 * 1024


def report(**facts: object) -> None:
    sys.stdout.write(json.dumps(facts) + "\n")
    sys.stdout.flush()


def error_name(error: BaseException) -> str:
    if isinstance(error, OSError) and error.errno is not None:
        return errno.errorcode.get(error.errno, str(error.errno))
    return type(error).__name__


# -- network ----------------------------------------------------------------------------


def net(port: str, abstract: str) -> None:
    """Reach the host's loopback HTTP server and a host abstract unix socket."""
    facts: dict[str, object] = {}
    try:
        with socket.create_connection(("127.0.0.1", int(port)), timeout=3) as conn:
            conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
            received = b""
            while len(received) < 65536 and (chunk := conn.recv(4096)):
                received += chunk
            facts["tcp"] = received.decode(errors="replace")
    except OSError as error:
        facts["tcp_error"] = error_name(error)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
            unix.settimeout(3)
            unix.connect("\0" + abstract)
            facts["abstract"] = unix.recv(4096).decode(errors="replace")
    except OSError as error:
        facts["abstract_error"] = error_name(error)
    facts["interfaces"] = [name for _, name in socket.if_nameindex()]
    report(**facts)


def dns(host: str) -> None:
    """Resolve a public name (DNS only, no connection), bounded to 5 s."""
    outcome: dict[str, object] = {}

    def resolve() -> None:
        try:
            outcome["addresses"] = sorted(
                {a[4][0] for a in socket.getaddrinfo(host, 443)}
            )
        except OSError as error:
            outcome["error"] = error_name(error)

    worker = threading.Thread(target=resolve, daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():
        outcome.setdefault("error", "timeout")
    outcome["resolv_conf"] = Path("/etc/resolv.conf").exists()
    report(**outcome)


# -- secrets ----------------------------------------------------------------------------


def secrets(decoy_value: str, decoy_pid: str) -> None:
    """Look for API keys in our environment and in every visible /proc/*/environ."""
    env_keys = sorted(
        k for k in os.environ if "KEY" in k or "TOKEN" in k or "SECRET" in k
    )
    found_in: list[str] = []
    readable = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            data = (entry / "environ").read_bytes()
        except OSError:
            continue
        readable += 1
        if decoy_value.encode() in data:
            found_in.append(entry.name)
    try:
        os.kill(int(decoy_pid), 0)
        signal_ok = True
    except OSError:
        signal_ok = False
    report(
        env_keys=env_keys,
        decoy_in_env=any(decoy_value in v for v in os.environ.values()),
        found_in=found_in,
        environ_files_read=readable,
        pid1_cmdline=Path("/proc/1/cmdline").read_bytes().decode(errors="replace"),
        decoy_pid_visible=Path(f"/proc/{decoy_pid}").exists(),
        decoy_signal_ok=signal_ok,
        home=os.environ.get("HOME"),
    )


def proc_paths(host_socket: str) -> None:
    """What /proc tells about the host: command lines, mounts, unix sockets, bwrap's binary.

    A socket of its own is bound (at a sandbox path) and one bound in from the host is
    connected to, so that /proc/net/unix has something to show.
    """
    own = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    own.bind("/tmp/probe.sock")  # noqa: S108 - the sandbox's own tmpfs
    own.listen(1)
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.connect(host_socket)
    texts: dict[str, str] = {}
    for name in (
        "/proc/1/cmdline",
        "/proc/self/cmdline",
        "/proc/1/environ",
        "/proc/net/unix",
        "/proc/self/mountinfo",
        "/proc/1/mountinfo",
    ):
        try:
            texts[name] = Path(name).read_bytes().replace(b"\0", b" ").decode()
        except OSError as error:
            texts[name] = f"error:{error_name(error)}"
    try:
        texts["/proc/1/exe"] = str(Path("/proc/1/exe").readlink())
    except OSError as error:
        texts["/proc/1/exe"] = f"error:{error_name(error)}"
    client.close()
    own.close()
    report(**texts)


def read(*paths: str) -> None:
    """Read files and list folders outside the workspace."""
    outcome: dict[str, object] = {}
    for path in paths:
        target = Path(path)
        try:
            if target.is_dir():
                outcome[path] = sorted(p.name for p in target.iterdir())
            else:
                outcome[path] = target.read_text(errors="replace")[:200]
        except OSError as error:
            outcome[path] = f"error:{error_name(error)}"
    report(**outcome)


def write(name: str, *folders: str) -> None:
    """Create a file called ``name`` in each folder; report where it worked."""
    outcome: dict[str, str] = {}
    for folder in folders:
        target = Path(folder) / name
        try:
            target.write_text("written by a hostile probe\n")
            outcome[folder] = "written"
        except OSError as error:
            outcome[folder] = f"error:{error_name(error)}"
    report(**outcome)


def remount(*targets: str) -> None:
    """Remount read-only binds as writable (needs CAP_SYS_ADMIN), then write to them."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    ms_remount, ms_bind = 32, 4096
    outcome: dict[str, object] = {}
    for target in targets:
        rc = libc.mount(None, target.encode(), None, ms_remount | ms_bind, None)
        code = ctypes.get_errno()
        outcome[f"remount {target}"] = (
            "ok" if rc == 0 else errno.errorcode.get(code, code)
        )
        try:
            (Path(target) / "hostile-remount.txt").write_text("x")
            outcome[f"write {target}"] = "written"
        except OSError as error:
            outcome[f"write {target}"] = f"error:{error_name(error)}"
    report(caps=_caps(), **outcome)


def _caps() -> str:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapEff:"):
            return line.split()[1]
    return "?"


# -- processes --------------------------------------------------------------------------


def _daemonize(heartbeat: str, seconds: float) -> None:
    """Double fork + setsid; the grandchild beats ``heartbeat`` every 0.1 s for ``seconds``."""
    if os.fork() != 0:
        return
    os.setsid()
    if os.fork() != 0:
        os._exit(0)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.close(0)
    end = time.monotonic() + seconds
    beats = 0
    while time.monotonic() < end:
        beats += 1
        with contextlib.suppress(OSError):
            Path(heartbeat).write_text(str(beats))
        time.sleep(0.1)
    os._exit(0)


def daemon(heartbeat: str) -> None:
    """Leave a detached process running, then exit 0 at once."""
    _daemonize(heartbeat, 20)
    time.sleep(0.3)  # the first heartbeat lands
    report(daemonized=True)


def loop(heartbeat: str) -> None:
    """Leave a daemon and spin the CPU; gives up by itself after 60 s."""
    _daemonize(heartbeat, 20)
    report(spinning=True)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        pass


def cpu() -> None:
    """Spin the CPU (no sleep) for at most 30 s."""
    end = time.monotonic() + 30
    while time.monotonic() < end:
        pass


def forkbomb(limit: str, max_refusals: str = "500") -> None:
    """Fork as many processes as allowed, up to ``limit``, retrying refused forks.

    Gives up after ``max_refusals`` refused forks or 20 s, and then dies of the last
    refusal as a real fork bomb would (a traceback naming EAGAIN). Each child sleeps at
    most 15 s and exits, so the bomb defuses itself.
    """
    wanted, patience = int(limit), int(max_refusals)
    started = refused = 0
    last: OSError | None = None
    end = time.monotonic() + 20
    while started < wanted and refused < patience and time.monotonic() < end:
        try:
            pid = os.fork()
        except OSError as error:
            last = error
            refused += 1
            if refused == 1:
                report(started=started, first_refusal_after=started)
            time.sleep(0.001)
            continue
        if pid == 0:
            time.sleep(15)
            os._exit(0)
        started += 1
    report(started=started, refused=refused)
    if last is not None:
        raise last


def memory(bound_mb: str) -> None:
    """Allocate 64 MiB chunks, touching every page, up to ``bound_mb``."""
    chunks = []
    for _ in range(int(bound_mb) // 64):
        chunks.append(bytearray(64 * MIB))  # zero-filled: every page touched
        report(allocated_mb=len(chunks) * 64)
    report(done=True)


def memory_tree(children: str, each_mb: str) -> None:
    """Several processes, each under the per-process cap, together over the total."""
    pids = []
    for _ in range(int(children)):
        pid = os.fork()
        if pid == 0:
            hold = [bytearray(16 * MIB) for _ in range(int(each_mb) // 16)]
            time.sleep(2)
            del hold
            os._exit(0)
        pids.append(pid)
    statuses = [os.waitpid(pid, 0)[1] for pid in pids]
    killed = [os.WTERMSIG(s) for s in statuses if os.WIFSIGNALED(s)]
    report(children=len(pids), killed_by=killed)
    sys.exit(1 if killed else 0)


def output(bound_mb: str) -> None:
    """Print up to ``bound_mb`` MiB to stdout."""
    line = b"x" * 1023 + b"\n"
    block = line * 1024
    out = sys.stdout.buffer
    for _ in range(int(bound_mb)):
        out.write(block)
    out.flush()


def bigfile(path: str, bound_mb: str) -> None:
    """Write one file of up to ``bound_mb`` MiB."""
    block = b"\0" * MIB
    written = 0
    with Path(path).open("wb") as stream:
        for _ in range(int(bound_mb)):
            stream.write(block)
            stream.flush()
            written += 1
    report(written_mb=written)


def fill(folder: str, bound_mb: str) -> None:
    """Fill a folder (the private /tmp) until it is full or ``bound_mb`` is written."""
    block = b"\1" * MIB
    written = 0
    outcome: dict[str, object] = {}
    try:
        with (Path(folder) / "fill.bin").open("wb") as stream:
            for _ in range(int(bound_mb)):
                stream.write(block)
                stream.flush()
                written += 1
    except OSError as error:
        outcome["error"] = error_name(error)
    report(written_mb=written, **outcome)


ATTACKS: dict[str, Callable[..., None]] = {
    "net": net,
    "dns": dns,
    "secrets": secrets,
    "read": read,
    "proc_paths": proc_paths,
    "write": write,
    "remount": remount,
    "daemon": daemon,
    "loop": loop,
    "cpu": cpu,
    "forkbomb": forkbomb,
    "memory": memory,
    "memory_tree": memory_tree,
    "output": output,
    "bigfile": bigfile,
    "fill": fill,
}

if __name__ == "__main__":
    _marker, attack, *arguments = sys.argv[1:]
    ATTACKS[attack](*arguments)
