"""End to end: every print build writes its QA report beside the PDF, valid against the
documented schema, with page numbers; run on the books in manuscript/ and on the shared
samples (skipped when they are absent). Every one of these books is set with no finding of
a kind that blocks print: no broken line, widow, orphan, hyphen ladder, page left short by
a figure, overfull line, stray caption, running head over a line or missing glyph."""

from __future__ import annotations

import json
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from make_book.cli import app
from make_book.render.print import qa as print_qa
from make_book.render.print import qa_model
from tests.conftest import MANUSCRIPT, ROOT

SAMPLES = next((p for p in (ROOT.parent / "shared" / "samples", Path("/work/shared/samples"))
                if p.is_dir()), None)
SCHEMA = json.loads((ROOT / "docs" / "print-qa.schema.json").read_text(encoding="utf-8"))
BOOKS = sorted(p for p in MANUSCRIPT.iterdir() if (p / "book.yaml").is_file())
SAMPLE_BOOKS = sorted(p for p in SAMPLES.iterdir() if (p / "book.yaml").is_file()) \
    if SAMPLES else []


def check_report(root: Path, out: Path) -> dict:
    jsonschema = pytest.importorskip("jsonschema")
    result = CliRunner().invoke(app, ["build", str(root), "--format", "pdf", "--out",
                                      str(out)])
    slug = root.name
    report_path = out / slug / f"{slug}-print-qa.json"
    assert result.exit_code == 0, result.output
    assert report_path.is_file()
    data = json.loads(report_path.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    with pikepdf.open(out / slug / data["pdf"]) as pdf:
        assert data["pages"] == len(pdf.pages)
    assert data["counts"] == {k: sum(f["kind"] == k for f in data["findings"])
                              for k in qa_model.KINDS}
    for f in data["findings"]:
        if f["kind"] == "page-count":  # about the whole book: at book.yaml, no page
            assert f["page"] is None and f["file"] == "book.yaml"
            assert f"the interior has {data['pages']} pages" in f["message"]
        elif f["kind"] != "missing-glyph":  # found before layout: no page
            assert 1 <= f["page"] <= data["pages"] and f["folio"]
        assert f["blocking"] == (f["kind"] in qa_model.BLOCKING)
    assert "print QA: " in result.output  # the terminal summary
    blocking = [f for f in data["findings"] if f["blocking"]]
    assert not blocking, blocking
    return data


@pytest.mark.parametrize("root", BOOKS, ids=lambda p: p.name)
def test_the_manuscript_books_get_a_report(root, tmp_path):
    data = check_report(root, tmp_path)
    # their text is well set: whatever is found can be pointed at in the source
    for f in data["findings"]:
        if f["kind"] in ("broken-line", "orphan", "widow", "hyphen-ladder"):
            assert f["file"] and f["line"], f


@pytest.mark.skipif(SAMPLES is None, reason="the shared samples are not here")
@pytest.mark.parametrize("root", SAMPLE_BOOKS, ids=lambda p: p.name)
def test_the_sample_books_get_a_report(root, tmp_path):
    check_report(root, tmp_path)


def test_strict_fails_on_a_blocking_finding(book_copy, tmp_path, monkeypatch):
    """A blocking finding is a warning: --strict refuses the book and writes nothing."""
    root = book_copy("the-question-of-method")
    real = print_qa.check

    def with_a_widow(*args, **kwargs):
        return [*real(*args, **kwargs), qa_model.Finding("widow", "constructed", 3, "1")]
    monkeypatch.setattr(print_qa, "check", with_a_widow)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(root), "--format", "pdf", "--strict",
                                      "--out", str(out)])
    assert result.exit_code == 1
    assert "Q003 warning: widow on p. 1 (PDF page 3): constructed" in result.output
    assert not (out / root.name / f"{root.name}-print-qa.json").exists()
