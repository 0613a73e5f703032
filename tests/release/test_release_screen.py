"""`make-book release` builds the screen PDF when book.yaml gives isbn.pdf: listed in the
manifest with its checksum, ISBN and pages, and in ONIX as the PDF e-book."""

from __future__ import annotations

import json
import subprocess

from lxml import etree

from make_book.release import command, onix
from make_book.release import manifest as mf
from tests.release.test_release_command import SAMPLE, VERSION, files_of, no_java  # noqa: F401

PDF_ISBN = "978-1-7390000-3-5"


def test_release_with_a_pdf_isbn_ships_the_screen_pdf(book_copy, tmp_path, no_java,  # noqa: F811
                                                      monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = book_copy(SAMPLE)
    yaml = root / "book.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("isbn: {epub: 978-1-7390000-2-8}",
                                 f"isbn: {{epub: 978-1-7390000-2-8, pdf: {PDF_ISBN}}}\n"
                                 "price: {pdf: {USD: 4.99}}"), encoding="utf-8")
    out = tmp_path / "out"
    assert command.release([root], out, VERSION, False, None, None, False) == 0
    release = out / VERSION
    assert f"{SAMPLE}/{SAMPLE}.pdf" in files_of(release)
    data = json.loads((release / mf.MANIFEST).read_bytes())
    by_format = {a["format"]: a for a in data["artifacts"]}
    assert list(by_format) == ["epub", "epub-cover", "print", "print-cover", "onix", "screen"]
    screen = by_format["screen"]
    assert screen["path"] == f"{SAMPLE}/{SAMPLE}.pdf"
    assert screen["isbn"] == "9781739000035"
    assert screen["pages"] == by_format["print"]["pages"] + 1  # the cover
    done = subprocess.run(["sha256sum", "-c", mf.SUMS], cwd=release, capture_output=True,
                          check=False)
    assert done.returncode == 0 and f"{SAMPLE}.pdf: OK".encode() in done.stdout
    tree = etree.parse(str(release / SAMPLE / f"{SAMPLE}-onix.xml"))
    ns = {"o": onix.NS}
    pdf = [p for p in tree.iterfind("o:Product", ns)
           if p.findtext("o:DescriptiveDetail/o:ProductFormDetail", namespaces=ns) == "E107"]
    assert len(pdf) == 1
    assert pdf[0].findtext("o:ProductIdentifier/o:IDValue", namespaces=ns) == "9781739000035"
    assert pdf[0].findtext(".//o:Price/o:PriceAmount", namespaces=ns) == "4.99"


def test_no_pdf_isbn_no_screen_pdf(book_copy):
    from make_book.formats import book_formats
    assert "screen" not in book_formats(book_copy(SAMPLE)).build
