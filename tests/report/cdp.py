"""A minimal Chrome DevTools Protocol client for the report's browser tests.

Headless Chromium is driven over ``--remote-debugging-pipe`` (the protocol on file
descriptors 3 and 4, one JSON message per NUL-terminated line, as Puppeteer and Playwright
do), so the tests need no driver package, no port and no network: only the ``chromium``
binary CI already installs. It clicks with real mouse events (``Input.dispatchMouseEvent``)
at an element's centre, presses keys, sets the viewport, evaluates script, takes
screenshots, and records what the page logged (console errors, uncaught exceptions,
JavaScript dialogs such as an injected ``alert``).
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import subprocess
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

#: Seconds a command or a condition may take (the test machine is shared and slow).
TIMEOUT = 30.0
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--remote-debugging-pipe",
)


class CDPError(RuntimeError):
    """The browser answered a command with an error, or did not answer in time."""


class Page:
    """One headless Chromium with one page, driven over the DevTools pipe.

    Attributes:
        problems: What the page reported as wrong: console errors and warnings, uncaught
            exceptions, log entries of level error, JavaScript dialogs.
    """

    def __init__(self, binary: str, profile: Path) -> None:
        # sh maps the pipes to the descriptors Chromium reads (3) and writes (4).
        self._proc = subprocess.Popen(
            [
                "/bin/sh",
                "-c",
                'exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null',
                binary,
                *FLAGS,
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": "/dev/null"},
        )
        self._ids = itertools.count(1)
        self._replies: dict[int, dict[str, Any]] = {}
        self._lock = threading.Condition()
        self._writing = threading.Lock()
        self._session: str | None = None
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable")

    def _read(self) -> None:
        assert self._proc.stdout is not None
        buffer = b""
        while chunk := self._proc.stdout.read1(65536):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        self._replies[message["id"]] = message
                        self._lock.notify_all()
                else:
                    self._event(message)

    def _event(self, message: dict[str, Any]) -> None:
        method, params = message.get("method", ""), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in (
            "error",
            "warning",
            "assert",
        ):
            args = [a.get("value", a.get("description", "")) for a in params["args"]]
            self.problems.append(f"console.{params['type']}: {args}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description", details["text"])
            self.problems.append(f"exception: {text}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.problems.append(f"log: {params['entry']['text']}")
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(params.get("message", ""))
            self.problems.append(f"dialog: {params.get('message', '')}")
            # Dismissed at once (without waiting: this is the reader), or the page hangs.
            self._write(
                {
                    "id": next(self._ids),
                    "method": "Page.handleJavaScriptDialog",
                    "params": {"accept": False},
                    "sessionId": message.get("sessionId"),
                }
            )

    def _write(self, message: dict[str, Any]) -> None:
        assert self._proc.stdin is not None
        with self._writing:
            self._proc.stdin.write(json.dumps(message).encode() + b"\0")
            self._proc.stdin.flush()

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
    ) -> dict[str, Any]:
        """Send one command and wait for its result.

        Raises:
            CDPError: On an error reply or no reply within :data:`TIMEOUT`.
        """
        ident = next(self._ids)
        message: dict[str, Any] = {
            "id": ident,
            "method": method,
            "params": params or {},
        }
        if session is not None:
            message["sessionId"] = session
        self._write(message)
        deadline = time.monotonic() + TIMEOUT
        with self._lock:
            while ident not in self._replies:
                left = deadline - time.monotonic()
                if left <= 0 or self._proc.poll() is not None:
                    msg = f"{method}: no reply from chromium"
                    raise CDPError(msg)
                self._lock.wait(left)
            reply = self._replies.pop(ident)
        if "error" in reply:
            msg = f"{method}: {reply['error']}"
            raise CDPError(msg)
        result: dict[str, Any] = reply.get("result", {})
        return result

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """A command to the page's session."""
        assert self._session is not None
        return self.send(method, params, self._session)

    def viewport(self, width: int, height: int) -> None:
        """Set the viewport's size in CSS pixels."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def goto(self, url: str) -> None:
        """Load ``url`` in a fresh document and wait until the report's script has run."""
        self.call("Page.navigate", {"url": "about:blank"})
        self.wait(
            "location.href === 'about:blank' && document.readyState === 'complete'"
        )
        self.call("Page.navigate", {"url": url})
        self.wait(
            "document.readyState === 'complete' && !!document.body.dataset.readyMs"
        )

    def js(self, expression: str) -> Any:
        """The value of ``expression`` in the page (promises awaited).

        Raises:
            CDPError: When it throws.
        """
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            msg = f"{expression}: {result['exceptionDetails']}"
            raise CDPError(msg)
        return result["result"].get("value")

    def wait(self, condition: str, timeout: float = TIMEOUT) -> None:
        """Wait until ``condition`` is true in the page.

        Raises:
            CDPError: When it is not within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while not self.js(f"!!({condition})"):
            if time.monotonic() > deadline:
                msg = f"timed out waiting for {condition}"
                raise CDPError(msg)
            time.sleep(0.05)

    def click(self, selector: str) -> tuple[float, float]:
        """Scroll the first element matching ``selector`` into view and click its centre.

        Returns:
            The centre clicked, in viewport coordinates.
        """
        box = self.js(
            f"""(() => {{
              const node = document.querySelector({json.dumps(selector)});
              if (!node) return null;
              node.scrollIntoView({{block: "center", inline: "center"}});
              const r = node.getBoundingClientRect();
              return [r.left + r.width / 2, r.top + r.height / 2];
            }})()"""
        )
        if box is None:
            msg = f"nothing matches {selector}"
            raise CDPError(msg)
        x, y = box
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )
        return x, y

    def press(self, key: str, code: int) -> None:
        """Press and release a key (``"Escape", 27``)."""
        for kind in ("keyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code},
            )

    def screenshot(self, path: Path) -> bytes:
        """Save the viewport as a PNG at ``path`` and return its bytes."""
        data = base64.b64decode(
            self.call("Page.captureScreenshot", {"format": "png"})["data"]
        )
        path.write_bytes(data)
        return data

    def close(self) -> None:
        """Close the browser."""
        with contextlib.suppress(CDPError, OSError):
            self.send("Browser.close")
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def __enter__(self) -> Page:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
