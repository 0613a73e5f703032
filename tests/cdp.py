"""A headless Chromium driven over the DevTools protocol through a pipe
(``--remote-debugging-pipe``: JSON messages ended by NUL on file descriptors 3 and 4).

Chosen over Playwright: the system Chromium is driven as it is, with no driver of its own
to install and no pinned browser build for the driver to match, and over the DevTools
WebSocket: no port to find and no WebSocket library; the few commands a test needs fit in
this file.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                 "google-chrome"))), None)


class NavigatedAway(RuntimeError):
    """The page being asked navigated (reloaded) before it answered."""


class Browser:
    def __init__(self, width: int = 1000, height: int = 800):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="mb-cdp-")

        def fds() -> None:  # the child's fd 3 reads our commands, fd 4 writes replies
            # copies above 4 first: a pipe end may itself be fd 3 or 4
            high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=fds)  # kept open when the others close
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next = 0
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)

    def call(self, method: str, session: bool = False, timeout: float = 60, **params):
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        end = time.monotonic() + timeout
        while True:
            reply = self._read(end)
            if reply.get("id") == self._next:
                if "error" in reply:
                    message = reply["error"].get("message", "")
                    if "navigated" in message or "context was destroyed" in message:
                        raise NavigatedAway(message)
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _read(self, end: float) -> dict:
        while b"\0" not in self._buffer:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self._from_chrome], [], [], left)[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._from_chrome, 65536)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)

    def evaluate(self, expression: str, await_promise: bool = False):
        """The value of a JavaScript expression in the page (None while it loads or when
        it throws)."""
        try:
            result = self.call("Runtime.evaluate", session=True, expression=expression,
                               returnByValue=True, awaitPromise=await_promise)
        except NavigatedAway:  # the page reloaded under the call: ask again later
            return None
        return result.get("result", {}).get("value")

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        shutil.rmtree(self.profile, ignore_errors=True)
