"""The web edition in headless Chromium: a local HTTP server for a built site, and a
browser that keeps the console errors, failed loads and exceptions it sees, runs axe-core
in a page and answers for one page at a time (tests/cdp.py drives Chromium)."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import time
from pathlib import Path

from tests.cdp import Browser

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: the bar
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


class Server:
    """``folder`` over HTTP on a free local port (file: URLs block fetch() and behave
    unlike a published site)."""

    def __init__(self, folder: Path):
        handler = functools.partial(_Quiet, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class WebBrowser(Browser):
    """A Browser that records the page's errors: console.error, uncaught exceptions and
    the browser's own log errors (a stylesheet, font or image that did not load)."""

    def __init__(self, width: int = 1000, height: int = 800):
        self.events: list[dict] = []
        super().__init__(width, height)
        self.call("Log.enable", session=True)

    def _read(self, end: float) -> dict:
        message = super()._read(end)
        if "method" in message:
            self.events.append(message)
        return message

    def errors(self) -> list[str]:
        out = []
        for e in self.events:
            method, params = e["method"], e.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                out.append(" ".join(str(a.get("value", a.get("description", "")))
                                    for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                entry = params["entry"]
                if "favicon.ico" in entry.get("url", ""):  # the browser's, not the site's
                    continue
                out.append(f"{entry.get('text')} {entry.get('url', '')}")
        return out

    def load(self, url: str, timeout: float = 30) -> None:
        """Open ``url`` and wait until it and everything it loads (fonts too) is there."""
        self.events.clear()
        self.open(url)
        self.wait_loaded(url, timeout)

    def wait_loaded(self, url: str | None = None, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            state = self.evaluate("document.readyState === 'complete' && "
                                  "document.fonts.status === 'loaded' && location.href")
            if state and (url is None or state.split("#")[0] == url.split("#")[0]):
                return
            time.sleep(0.05)
        raise TimeoutError(f"{url} did not load")

    def follow(self, selector: str, timeout: float = 30) -> str:
        """Click the link ``selector`` names, wait for the page it opens; its URL."""
        href = self.evaluate(f"document.querySelector({json.dumps(selector)}).href")
        assert href, f"no link {selector}"
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        self.wait_loaded(href, timeout)
        return href

    def axe(self) -> list[dict]:
        """axe-core's WCAG 2.2 AA violations in the open page: rule, impact, targets."""
        if not self.evaluate("typeof axe !== 'undefined'"):
            self.call("Runtime.evaluate", session=True, expression=AXE.read_text("utf-8"))
        found = self.evaluate(
            f"axe.run(document, {{runOnly: {{type: 'tag', values: {json.dumps(WCAG_AA)}}}, "
            "resultTypes: ['violations']}).then(r => JSON.stringify(r.violations.map(v => "
            "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => "
            "n.target.join(' '))}))))", await_promise=True)
        return json.loads(found)

    def phone(self, on: bool = True) -> None:
        """A 375 px wide phone screen (an iPhone's), or back to the window's size."""
        if on:
            self.call("Emulation.setDeviceMetricsOverride", session=True, width=375,
                      height=812, deviceScaleFactor=2, mobile=True)
        else:
            self.call("Emulation.clearDeviceMetricsOverride", session=True)

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the screen (0: no sideways scroll)."""
        return self.evaluate("Math.max(0, document.documentElement.scrollWidth - "
                             "document.documentElement.clientWidth)")

    def screenshot(self, path: Path) -> None:
        import base64
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))
