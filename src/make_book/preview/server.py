"""The preview's HTTP server: the standard library's ThreadingHTTPServer, which is all a
page, its files and one event stream per open page need (no framework to install).

Only what the preview made is served: a request's path is looked up in the session's
table of pages, never on disk, so no path (``..``, encoded or not) reaches a file. A
request must also name this server in its Host header: a web page elsewhere cannot reach
it through a DNS name made to point at 127.0.0.1 (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from make_book.preview import pages
from make_book.preview.session import Session

EVENTS = f"{pages.PREVIEW}/events"
KEEPALIVE_S = 15.0  # a comment line on an idle stream, so a closed page is noticed


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never holds up the end
    allow_reuse_address = True  # a restarted preview gets its port back at once

    def __init__(self, address: tuple[str, int], session: Session, public: bool = False):
        host = address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.session = session
        self.public = public
        super().__init__(address, PreviewHandler)

    def handle_error(self, request, client_address) -> None:
        """A browser that goes away mid-answer (a reload, a closed tab, the preview
        stopping) is no error; anything else is said on one line, never as the traceback
        socketserver prints by default."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        print(f"make-book: preview: a request from {client_address[0]} failed: "
              f"{type(exc).__name__}: {exc}", file=sys.stderr)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def host_allowed(self, header: str | None) -> bool:
        if self.public:
            return True
        if not header:
            return False
        host = urlsplit(f"//{header}").hostname or ""
        return is_loopback(host)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # the base class's signature
        pass  # the terminal shows rebuilds and problems, not every request

    def do_HEAD(self) -> None:
        self._get(body=False)

    def do_GET(self) -> None:
        self._get(body=True)

    def _get(self, body: bool) -> None:
        if not self.server.host_allowed(self.headers.get("Host")):
            self._send(HTTPStatus.FORBIDDEN, b"forbidden host\n", "text/plain", body)
            return
        url = urlsplit(self.path)
        path = unquote(url.path)
        if path == EVENTS:
            self._events(parse_qs(url.query).get("page", ["/"])[0])
            return
        served = self.server.session.page(path)
        if served is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", body)
            return
        self._send(HTTPStatus.OK, served.data, served.media_type, body)

    def _send(self, status: HTTPStatus, data: bytes, media_type: str, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self, page: str) -> None:
        """Server-Sent Events: the page's token now, then each time it changes."""
        session = self.server.session
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        sent, generation = None, -1
        try:
            while not session.stopping:
                token = session.token(page)
                if token != sent:
                    self.wfile.write(f"data: {token}\n\n".encode())
                    sent = token
                else:
                    self.wfile.write(b": idle\n\n")
                self.wfile.flush()
                generation = session.wait(generation, KEEPALIVE_S)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the page was closed or reloaded
