"""Print page numbers in the EPUB: a `--format all` build writes pagebreak markers and a
page-list whose numbers are the PDF's folios: the block after each marker starts on the PDF
page with that label."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pikepdf
import pytest
from lxml import etree

from make_book.build import build_book
from tests.conftest import MANUSCRIPT

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "ncx": "http://www.daisy.org/z3986/2005/ncx/"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("pages")
    result = build_book(MANUSCRIPT / "letters-from-the-volga", ["epub", "pdf"], out)
    assert result.ok, [d.format() for d in result.diagnostics]
    return {a.format: a.path for a in result.artifacts}


SECTIONING = {f"{{{NS['x']}}}{tag}" for tag in ("section", "body", "div", "blockquote")}


def words(text: str, n: int = 4) -> str:
    return " ".join(re.sub(r"-\n", "", text).split()[:n])


def text_after(marker) -> str:
    """The text that follows a pagebreak marker (the block after it, or the rest of the
    paragraph it stands in), up to 200 characters."""
    block = marker
    while block.getparent() is not None and block.getparent().tag not in SECTIONING:
        block = block.getparent()
    sentinel = "\u2063\u2063"  # invisible separators: in no manuscript
    marker.text = sentinel
    try:
        if block is marker:  # between blocks: the next block
            following = marker.getnext()
            while following is not None and following.get("role") == "doc-pagebreak":
                following = following.getnext()
            return "" if following is None else "".join(following.itertext())[:200]
        return "".join(block.itertext()).split(sentinel, 1)[1][:200]
    finally:
        marker.text = None


def test_page_list_matches_pdf_folios(built):
    with pikepdf.open(built["pdf"]) as pdf:
        label_to_index = {page.label: i for i, page in enumerate(pdf.pages)}
    with zipfile.ZipFile(built["epub"]) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        entries = nav.findall(".//x:nav[@epub:type='page-list']//x:a", NS)
        assert len(entries) >= 15
        docs = {}
        checked = inline = 0
        for a in entries:
            name, anchor = a.get("href").split("#")
            doc = docs.setdefault(name, etree.fromstring(z.read(f"EPUB/{name}")))
            marker = doc.find(f".//*[@id='{anchor}']")
            assert marker.get("role") == "doc-pagebreak"
            assert marker.get("aria-label") == a.text
            assert marker.get(f"{{{NS['epub']}}}type") == "pagebreak"
            start = words(text_after(marker))
            inline += marker.getparent().tag not in SECTIONING
            if not start:
                continue
            index = label_to_index[a.text]
            page_text = subprocess.run(
                ["pdftotext", "-f", str(index + 1), "-l", str(index + 1), str(built["pdf"]), "-"],
                capture_output=True, text=True, check=True).stdout
            # case-blind: headings are set in small caps, which extract as lower case
            assert start.lower() in " ".join(re.sub(r"-\n", "", page_text).split()).lower(), (
                a.text, start)
            checked += 1
        assert checked >= 10
        # a page that begins inside a paragraph is marked inside it, not skipped
        assert inline >= 1
        indexes = [label_to_index[a.text] for a in entries]
        assert indexes == sorted(indexes)


def test_page_list_in_ncx_and_source_in_opf(built):
    with zipfile.ZipFile(built["epub"]) as z:
        ncx = etree.fromstring(z.read("EPUB/toc.ncx"))
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    targets = ncx.findall(".//ncx:pageList/ncx:pageTarget", NS)
    assert targets and any(t.get("type") == "front" for t in targets)
    assert all(t.get("value") == t.find(".//ncx:text", NS).text
               for t in targets if t.get("type") == "normal")
    metas = {m.get("property"): m.text for m in opf.iter(f"{{{NS['opf']}}}meta")
             if m.get("property")}
    assert metas["pageBreakSource"] == "urn:isbn:9781739000011"
    features = [m.text for m in opf.iter(f"{{{NS['opf']}}}meta")
                if m.get("property") == "schema:accessibilityFeature"]
    assert "pageBreakMarkers" in features and "pageNavigation" in features


def test_epub_alone_has_no_page_list(tmp_path):
    result = build_book(MANUSCRIPT / "the-question-of-method", ["epub"], tmp_path)
    assert result.ok
    with zipfile.ZipFile(result.artifacts[0].path) as z:
        assert b"page-list" not in z.read("EPUB/nav.xhtml")


def test_epub_index_locators_read_as_in_print(built):
    """With the print edition built in the same run, the EPUB index's locators are the
    printed index's page numbers, each linking to its mark."""
    pdf_text = subprocess.run(["pdftotext", str(built["pdf"]), "-"], capture_output=True,
                              text=True, check=True).stdout
    pdf_text = pdf_text[pdf_text.rfind("Index of Names"):]  # the printed index itself
    with zipfile.ZipFile(built["epub"]) as z:
        names = [n for n in z.namelist() if n.endswith("index-of-names.xhtml")]
        index = etree.fromstring(z.read(names[0]))
        checked = 0
        for entry in index.iterfind(".//x:li[@epub:type='index-entry']", NS):
            term = "".join(entry.find("x:span", NS).itertext())
            labels = [a.text for a in entry.findall("x:a[@epub:type='index-locator']", NS)]
            if not labels:
                continue
            printed = re.search(re.escape(term) + r", ([0-9ivxlc\u2013, ]+)", pdf_text)
            assert printed, term
            assert [p.strip() for p in printed.group(1).split(",") if p.strip()] == labels
            for a in entry.findall("x:a[@epub:type='index-locator']", NS):
                name, anchor = a.get("href").split("#")
                doc = etree.fromstring(z.read(f"EPUB/text/{name}"))
                assert doc.find(f".//*[@id='{anchor}']") is not None
            checked += 1
        assert checked >= 3
