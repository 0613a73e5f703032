"""The preview's HTTP server, spoken to over a socket: raw request paths (as a hostile
client sends them, not as a browser normalises them), the Host check, the event stream."""

from __future__ import annotations

import http.client
import socket
import threading

import pytest

from make_book.preview.server import EVENTS, PreviewServer, is_loopback
from make_book.preview.session import Session
from tests.preview_support import CHAPTER_TWO, save, write_book


class IdleWorker:
    def __init__(self, done):
        pass

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def request(self, job) -> None:
        pass

    def pending(self, key: str) -> bool:
        return False


@pytest.fixture
def served(tmp_path):
    root = write_book(tmp_path / "book")
    session = Session(root, tmp_path, worker_factory=IdleWorker)
    assert session.rebuild().ok
    server = PreviewServer(("127.0.0.1", 0), session)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield server
    session.stop()
    server.shutdown()
    server.server_close()


def _raw(server, request: bytes) -> bytes:
    """A request written byte for byte; the whole reply."""
    with socket.create_connection(server.server_address[:2], timeout=10) as s:
        s.sendall(request)
        s.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := s.recv(65536):
            reply += chunk
    return reply


@pytest.mark.parametrize("path", [
    "/book.yaml", "/../book.yaml", "/%2e%2e/book.yaml", "/text/../../book.yaml",
    "/text/..%2f..%2fbook.yaml", "/css/%2e%2e/%2e%2e/book.yaml", "//etc/passwd",
    "/chapters/01-harbour.md", "/%2Fetc%2Fpasswd", "/text/%00", "/_preview/print/../../x"])
def test_no_path_leaves_what_the_preview_made(served, path):
    reply = _raw(served, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Connection: close\r\n\r\n".encode())
    assert reply.startswith(b"HTTP/1.1 404")
    assert b"Lantern" not in reply and b"root:" not in reply


def test_pages_and_files(served):
    host, port = served.server_address[:2]
    client = http.client.HTTPConnection(host, port, timeout=10)
    client.request("GET", "/")
    index = client.getresponse()
    assert index.status == 200 and b"The Lantern Keeper" in index.read()
    client.request("HEAD", "/css/book.css")
    head = client.getresponse()
    assert head.status == 200 and head.getheader("Content-Type") == "text/css"
    assert head.read() == b""
    assert head.getheader("Cache-Control") == "no-store"
    client.request("POST", "/", body=b"x")
    assert client.getresponse().status == 501
    client.close()


def test_a_foreign_host_is_refused(served):
    """A page on another site whose name was pointed at 127.0.0.1 (DNS rebinding)."""
    reply = _raw(served, b"GET / HTTP/1.1\r\nHost: attacker.example:8765\r\n"
                         b"Connection: close\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 403")
    reply = _raw(served, b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 200")


def test_loopback_names():
    assert all(map(is_loopback, ["127.0.0.1", "127.0.0.2", "::1", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "example.org", ""]))


def test_the_event_stream_says_when_the_page_changes(served):
    session = served.session
    page = session.site.chapter_path(session.site.book.chapters[1].file_id)
    with socket.create_connection(served.server_address[:2], timeout=30) as s:
        s.sendall(f"GET {EVENTS}?page={page} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        stream = s.makefile("rb")
        assert stream.readline().startswith(b"HTTP/1.1 200")
        lines = iter(stream.readline, b"")
        first = next(line for line in lines if line.startswith(b"data: "))
        assert first.decode().strip() == f"data: {session.token(page)}"
        save(session.root / "chapters" / "02-bell.md", CHAPTER_TWO + "\nMore.\n")
        assert session.rebuild(full=False).ok
        second = next(line for line in lines if line.startswith(b"data: "))
        assert second != first
        assert second.decode().strip() == f"data: {session.token(page)}"


@pytest.mark.parametrize(("exc", "said"), [
    (BrokenPipeError(32, "Broken pipe"), ""),
    (ConnectionResetError(104, "Connection reset by peer"), ""),
    (ValueError("bad page"), "make-book: preview: a request from 127.0.0.1 failed: "
                             "ValueError: bad page\n"),
])
def test_a_failed_request_is_one_line_or_nothing_never_a_traceback(served, capsys, exc, said):
    """socketserver prints a traceback for any exception in a handler; a browser that went
    away is no error at all, and anything else is one line."""
    try:
        raise exc
    except Exception:
        served.handle_error(None, ("127.0.0.1", 50000))
    captured = capsys.readouterr()
    assert captured.err == said and "Traceback" not in captured.err + captured.out
