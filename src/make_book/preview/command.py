"""``make-book preview BOOK``: build once, serve, follow the files until Ctrl-C."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from make_book.errors import error, printable
from make_book.preview.server import PreviewServer, is_loopback
from make_book.preview.session import Rebuilt, Session
from make_book.preview.watch import follow

STOPPED = "make-book: preview stopped"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def report(rebuilt: Rebuilt, cwd: Path) -> None:
    """A rebuild as the terminal shows it: its problems as ``path:line: CODE message``."""
    for d in rebuilt.problems:
        _say(d.format(relative_to=cwd))
    parsed = ", ".join(printable(p) for p in rebuilt.parsed[:3]) + (
        f" and {len(rebuilt.parsed) - 3} more" if len(rebuilt.parsed) > 3 else "")
    what = f" ({parsed} read)" if parsed else ""
    if rebuilt.ok:
        _say(f"built in {rebuilt.seconds:.2f} s{what}")
    else:
        errors = sum(d.is_error for d in rebuilt.problems)
        _say(f"not built: {errors} error(s){what}; the preview keeps the last good pages")


def run_preview(root: Path, host: str, port: int, allow_remote: bool) -> int:
    """The exit status: 1 when the server cannot start, 2 for a refused --host, 130 on
    Ctrl-C (the only way a preview ends)."""
    cwd = Path.cwd()
    if not allow_remote and not is_loopback(host):
        _say(error("V001", f"--host {printable(host)} would show the book to other "
                   "machines", hint="use --allow-remote to mean it, or leave --host out "
                   "(127.0.0.1)").format())
        return 2
    session = Session(root, cwd)
    try:
        server = PreviewServer((host, port), session, public=allow_remote)
    except OSError as exc:
        _say(error("V002", f"cannot listen on {printable(host)}:{port}: "
                   f"{exc.strerror or exc}",
                   hint="another program (or preview) uses the port: give --port").format())
        return 1
    stop = threading.Event()
    try:
        report(session.rebuild(full=True), cwd)
        session.start()

        def changed(full: bool) -> None:
            report(session.rebuild(full), cwd)

        watcher = threading.Thread(target=follow, args=(session.root, changed, stop),
                                   name="make-book-watch", daemon=True)
        watcher.start()
        print(f"previewing {printable(session.title)} at {server.url} (Ctrl-C to stop)",
              flush=True)
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        _say(STOPPED)
        return 130
    finally:
        stop.set()
        session.stop()
        server.server_close()
    return 0
