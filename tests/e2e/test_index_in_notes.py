"""Index marks inside notes with ``epub-notes: book`` (tests/books/index-in-notes): the
notes leave their chapter's file for the back-matter Notes file, and so must the index's
locators, or each links to an id its file does not have (EPUBCheck RSC-012). Checked with
the index labelled by chapter (EPUB alone) and by printed page (EPUB beside print)."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from make_book.build import build_book
from tests.conftest import BOOKS
from tests.epubcheck_run import epubcheck_messages

BOOK = BOOKS / "index-in-notes"
XHTML = {"x": "http://www.w3.org/1999/xhtml"}


def _locators(epub) -> dict[str, list[str]]:
    """Each index term -> the hrefs of its locators, and check every href's target id
    exists in the file it names."""
    with zipfile.ZipFile(epub) as z:
        names = {n.removeprefix("EPUB/text/"): n for n in z.namelist()}
        index = etree.fromstring(z.read("EPUB/text/index.xhtml"))
        out = {}
        for entry in index.xpath("//x:li[@epub:type='index-entry']", namespaces={
                **XHTML, "epub": "http://www.idpf.org/2007/ops"}):
            term = "".join(entry.xpath("./x:span", namespaces=XHTML)[0].itertext())
            hrefs = entry.xpath("./x:a/@href", namespaces=XHTML)
            for href in hrefs:
                file, anchor = href.split("#")
                doc = etree.fromstring(z.read(names[file]))
                assert doc.xpath(f"//*[@id='{anchor}']"), f"{href}: no such id in {file}"
            out[term] = hrefs
    return out


@pytest.mark.parametrize("formats", [["epub"], ["epub", "pdf"]], ids=["epub", "with-print"])
def test_locators_in_notes_point_into_the_notes_file(tmp_path, formats):
    result = build_book(BOOK, formats, tmp_path)
    assert result.ok, [d.format() for d in result.diagnostics]
    epub = result.artifacts[0].path
    assert epubcheck_messages(epub) == []
    locators = _locators(epub)
    # Lenin: once in a note of chapter 1 (the notes file), once in chapter 2's text
    lenin = locators["Lenin, V. I."]
    assert any(h.startswith("notes-") for h in lenin)
    assert any(h.startswith("ch-02-return.xhtml#") for h in lenin)
