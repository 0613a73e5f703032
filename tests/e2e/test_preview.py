"""`make-book preview` as a command, and what it lays out: a chapter's print pages alone;
the built EPUB and PDF never carry the preview's script or panels."""

from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
import zipfile

import pikepdf
import pypdfium2
import pytest
from PIL import Image

from make_book.build import build_book
from make_book.errors import Diagnostics
from make_book.preview.print_pages import Job, lay_out
from make_book.preview.session import Session
from tests.preview_support import ROOT, PreviewProcess, write_book

PREVIEW_MARKS = (b"_preview", b"EventSource", b"mb-preview", b"data-preview-token")


def _cli(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "make_book", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=300, check=False,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})


def test_the_print_pages_of_one_chapter(tmp_path):
    """The chapter alone at the book's trim, from folio 1, as PNG pages of its size."""
    root = write_book(tmp_path / "book")
    session = Session(root, tmp_path)
    assert session.rebuild().ok
    site = session.site
    chapter = site.book.chapters[0]
    outcome = lay_out(Job(site.book, site.layout, chapter.file_id, "k"))
    assert outcome.problem is None and len(outcome.images) == 1
    image = Image.open(io.BytesIO(outcome.images[0]))
    assert image.format == "PNG"
    assert image.size[1] / image.size[0] == pytest.approx(9 / 6, abs=0.03)  # 6in x 9in
    from make_book.render.print.renderer import chapter_alone
    found = Diagnostics()
    data = chapter_alone(site.book, site.layout, chapter, diagnostics=found)
    pdf = pypdfium2.PdfDocument(data)
    text = pdf[0].get_textpage().get_text_range()
    assert "walked the quay" in text and "The Harbour" in text
    assert "Bell" not in text  # the other chapter is not laid out
    assert re.search(r"(?m)^\s*1\s*$", text)  # its folio
    assert "The tide was high" in text  # the footnote, at the foot of its page
    assert not found.errors


def test_built_epub_and_pdf_carry_nothing_of_the_preview(tmp_path):
    root = write_book(tmp_path / "book")
    session = Session(root, tmp_path)
    assert session.rebuild().ok
    for path in session.site.documents:  # pages served first, in the same process
        session.page(path)
    result = build_book(root, ["epub", "pdf"], tmp_path / "out")
    assert result.ok, [d.format() for d in result.diagnostics]
    epub, pdf = (a.path for a in result.artifacts)
    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            data = z.read(name)
            assert not any(mark in data for mark in PREVIEW_MARKS), name
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            data = obj.read_bytes() if isinstance(obj, pikepdf.Stream) else (
                bytes(obj.unparse()) if obj is not None else b"")
            assert not any(mark in data for mark in PREVIEW_MARKS)
        assert "/JavaScript" not in str(doc.Root.keys())


def test_a_host_others_can_reach_must_be_asked_for(tmp_path):
    root = write_book(tmp_path / "book")
    run = _cli("preview", str(root), "--host", "0.0.0.0", cwd=tmp_path)
    assert run.returncode == 2
    assert "V001" in run.stderr and "--allow-remote" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_port_in_use_is_said(tmp_path):
    root = write_book(tmp_path / "book")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = _cli("preview", str(root), "--port", str(port), cwd=tmp_path)
    assert run.returncode == 1
    assert f"V002 cannot listen on 127.0.0.1:{port}" in run.stderr
    assert "Traceback" not in run.stderr


def test_one_book_at_a_time(tmp_path):
    write_book(tmp_path / "manuscript" / "one")
    write_book(tmp_path / "manuscript" / "two")
    run = _cli("preview", str(tmp_path), cwd=tmp_path)
    assert run.returncode == 2 and "preview shows one book" in run.stderr


def test_ctrl_c_stops_it(tmp_path):
    root = write_book(tmp_path / "book")
    process = PreviewProcess(root)
    try:
        assert process.url.startswith("http://127.0.0.1:")
        status, err = process.interrupt()
    finally:
        process.close()
    assert status == 130
    assert "make-book: preview stopped" in err and "Traceback" not in err
