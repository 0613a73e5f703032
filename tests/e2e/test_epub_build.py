"""End to end: build the sample books' EPUBs with the CLI, then read the package with lxml
and validate with EPUBCheck (0 errors, 0 warnings)."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree
from typer.testing import CliRunner

from make_book.cli import app
from tests.epubcheck_run import epubcheck_messages

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}
runner = CliRunner()


def build(book, out, *extra):
    result = runner.invoke(app, ["build", str(book), "--format", "epub", "--out", str(out),
                                 *extra])
    return result


@pytest.fixture(scope="module")
def volga(tmp_path_factory):
    from tests.conftest import MANUSCRIPT
    out = tmp_path_factory.mktemp("out")
    result = build(MANUSCRIPT / "letters-from-the-volga", out)
    assert result.exit_code == 0, result.output
    path = out / "letters-from-the-volga" / "letters-from-the-volga.epub"
    return path


def read(epub, name):
    with zipfile.ZipFile(epub) as z:
        return etree.fromstring(z.read(name))


def test_epubcheck_passes_without_errors_or_warnings(volga):
    assert epubcheck_messages(volga) == []


def test_mimetype_first_and_stored(volga):
    with zipfile.ZipFile(volga) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"


def test_package_metadata(volga):
    opf = read(volga, "EPUB/content.opf")
    md = opf.find("opf:metadata", NS)
    ident = md.find("dc:identifier", NS)
    assert ident.text.startswith("urn:isbn:978")
    assert opf.get("unique-identifier") == ident.get("id")
    assert md.find("dc:language", NS).text == "en-GB"
    creators = md.findall("dc:creator", NS)
    assert creators, "the author is a dc:creator"
    refines = {(m.get("refines"), m.get("property")): m.text for m in md.findall("opf:meta", NS)
               if m.get("refines")}
    cid = "#" + creators[0].get("id")
    assert refines[(cid, "role")] == "aut"
    assert (cid, "file-as") in refines
    contributors = md.findall("dc:contributor", NS)
    roles = {refines[("#" + c.get("id"), "role")] for c in contributors}
    assert "trl" in roles
    props = [m.get("property") for m in md.findall("opf:meta", NS)]
    for prop in ("belongs-to-collection", "schema:accessMode", "schema:accessModeSufficient",
                 "schema:accessibilityFeature", "schema:accessibilityHazard",
                 "schema:accessibilitySummary", "dcterms:conformsTo", "dcterms:modified"):
        assert prop in props, prop
    assert ("#series", "group-position") in refines


def test_nav_has_parts_nested_and_landmarks(volga):
    nav = read(volga, "EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    top = toc.findall("x:ol/x:li", NS)
    nested = [li for li in top if li.find("x:ol", NS) is not None]
    assert len(nested) >= 2, "two parts with their chapters nested"
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    assert landmarks.get("hidden") is not None
    types = {a.get(f"{{{NS['epub']}}}type") for a in landmarks.iter(f"{{{NS['x']}}}a")}
    assert {"toc", "bodymatter", "titlepage", "cover"} <= types


def test_notes_are_popup_footnotes_with_back_links(volga):
    with zipfile.ZipFile(volga) as z:
        names = [n for n in z.namelist() if n.startswith("EPUB/text/")]
        seen = 0
        for name in names:
            doc = etree.fromstring(z.read(name))
            refs = doc.findall(".//x:a[@epub:type='noteref']", NS)
            for ref in refs:
                assert ref.get("role") == "doc-noteref"
                target = ref.get("href").lstrip("#")
                aside = doc.find(f".//x:aside[@id='{target}']", NS)
                assert aside is not None and aside.get("role") == "doc-footnote"
                back = aside.find(".//x:a[@role='doc-backlink']", NS)
                assert back.get("href") == "#" + ref.get("id") or ref.get("id").startswith(
                    back.get("href")[1:])
                seen += 1
            numbers = [int(r.text) for r in refs]
            assert numbers == sorted(numbers) or len(set(numbers)) < len(numbers)
            if numbers:
                assert min(numbers) == 1, f"{name}: notes numbered per chapter"
        assert seen > 3


def test_chapters_carry_semantics_and_language(volga):
    with zipfile.ZipFile(volga) as z:
        docs = {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if n.startswith("EPUB/text/") and n.endswith(".xhtml")}
    types = set()
    for doc in docs.values():
        assert doc.get("lang") == doc.get("{http://www.w3.org/XML/1998/namespace}lang")
        for section in doc.iter(f"{{{NS['x']}}}section"):
            if section.get("role"):
                types.add((section.get(f"{{{NS['epub']}}}type"), section.get("role")))
    assert ("chapter", "doc-chapter") in types
    assert ("part", "doc-part") in types
    assert ("glossary", "doc-glossary") in types
    assert ("dedication", "doc-dedication") in types


def test_fonts_and_cover_are_in_the_manifest(volga):
    opf = read(volga, "EPUB/content.opf")
    items = opf.findall(".//opf:manifest/opf:item", NS)
    media = {i.get("media-type") for i in items}
    assert "font/otf" in media
    assert any("cover-image" in (i.get("properties") or "") for i in items)


def test_rebuild_is_byte_identical(tmp_path):
    from tests.conftest import MANUSCRIPT
    a, b = tmp_path / "a", tmp_path / "b"
    assert build(MANUSCRIPT / "letters-from-the-volga", a).exit_code == 0
    assert build(MANUSCRIPT / "letters-from-the-volga", b).exit_code == 0
    name = "letters-from-the-volga/letters-from-the-volga.epub"
    assert (a / name).read_bytes() == (b / name).read_bytes()


def test_second_sample_passes_epubcheck(tmp_path):
    from tests.conftest import MANUSCRIPT
    assert build(MANUSCRIPT / "the-question-of-method", tmp_path).exit_code == 0
    epub = tmp_path / "the-question-of-method" / "the-question-of-method.epub"
    assert epubcheck_messages(epub) == []
    # no cover-image: a cover generated from the layout's template, declared as such
    opf = read(epub, "EPUB/content.opf")
    covers = [i for i in opf.findall(".//opf:manifest/opf:item", NS)
              if "cover-image" in (i.get("properties") or "")]
    assert [c.get("href") for c in covers] == ["images/generated-cover.jpg"]
    with zipfile.ZipFile(epub) as z:
        assert z.read("EPUB/images/generated-cover.jpg")[:3] == b"\xff\xd8\xff"


def test_book_notes_file_groups_notes_by_chapter(tmp_path, book_copy):
    book = book_copy("letters-from-the-volga")
    with open(book / "book.yaml", "a", encoding="utf-8") as f:
        f.write("epub-notes: book\n")
    assert build(book, tmp_path).exit_code == 0
    epub = tmp_path / "letters-from-the-volga" / "letters-from-the-volga.epub"
    with zipfile.ZipFile(epub) as z:
        notes = etree.fromstring(z.read("EPUB/text/notes-1.xhtml"))
        chapter = etree.fromstring(z.read("EPUB/text/ch-05-the-strike.xhtml"))
    assert chapter.find(".//x:aside", NS) is None, "no notes left at the chapter's end"
    refs = chapter.findall(".//x:a[@epub:type='noteref']", NS)
    assert refs and all(r.get("href").startswith("notes-1.xhtml#") for r in refs)
    assert [r.text for r in refs] == [str(n) for n in range(1, len(refs) + 1)]
    for ref in refs:
        aside = notes.find(f".//x:aside[@id='{ref.get('href').split('#')[1]}']", NS)
        back = aside.find(".//x:a[@role='doc-backlink']", NS)
        assert back.get("href") == f"ch-05-the-strike.xhtml#{ref.get('id')}"
    assert len(notes.findall(".//x:h2", NS)) >= 4, "grouped under chapter headings"
    assert epubcheck_messages(epub) == []


def test_remote_url_in_a_layout_override_stylesheet_is_an_error(tmp_path, book_copy):
    book = book_copy("the-question-of-method")
    (book / "layout" / "css").mkdir(parents=True)
    (book / "layout" / "css" / "epub.css").write_text(
        "body { background: url('https://tracker.example/pixel.png'); }\n", encoding="utf-8")
    result = build(book, tmp_path)
    assert result.exit_code == 1
    assert "E010 stylesheet loads https://tracker.example/pixel.png" in result.output
    assert not (tmp_path / "the-question-of-method" / "the-question-of-method.epub").exists()
