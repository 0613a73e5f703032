"""End to end: the Kobo and Kindle EPUBs built with the CLI beside the main EPUB, read back
with lxml and validated with EPUBCheck (0 errors, 0 warnings); the Kindle rules find
nothing; the print edition's page-list survives the changes; every sample book's
retailer EPUBs pass (skipped without /work/shared)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from make_book.build import build_book
from make_book.cli import app
from make_book.render.retail.kindle_rules import kindle_rules
from make_book.render.retail.package import NS, EpubPackage
from tests.conftest import BOOKS, MANUSCRIPT
from tests.epubcheck_run import epubcheck_messages

SAMPLES = Path("/work/shared/samples")
runner = CliRunner()


@pytest.fixture(scope="module")
def apparatus(tmp_path_factory):
    """The apparatus book (notes in a back-matter file, two indexes, figures, a glossary)
    as epub, kepub and kindle."""
    out = tmp_path_factory.mktemp("retail")
    result = runner.invoke(app, ["build", str(BOOKS / "apparatus"), "--format", "epub",
                                 "--format", "kepub", "-f", "kindle", "--out", str(out),
                                 "--strict"])
    assert result.exit_code == 0, result.output
    rows = [line.split()[:2] for line in result.output.splitlines()
            if line.startswith("apparatus ")]
    assert rows == [["apparatus", "epub"], ["apparatus", "kepub"], ["apparatus", "kindle"]]
    folder = out / "apparatus"
    return {"epub": folder / "apparatus.epub", "kepub": folder / "apparatus.kepub.epub",
            "kindle": folder / "apparatus-kindle.epub"}


def words(epub: EpubPackage, name: str) -> list[str]:
    return "".join(epub.tree(name).getroot().find("x:body", NS).itertext()).split()


def kobo_ids_unique(epub: EpubPackage) -> int:
    count = 0
    for name in epub.content_documents():
        ids = epub.tree(name).getroot().xpath("//x:span[@class='koboSpan']/@id",
                                              namespaces=NS)
        assert len(ids) == len(set(ids)), name
        assert all(re.fullmatch(r"kobo\.\d+\.\d+", i) for i in ids), name
        count += len(ids)
    return count


@pytest.mark.parametrize("fmt", ["kepub", "kindle"])
def test_epubcheck_passes(apparatus, fmt):
    assert epubcheck_messages(apparatus[fmt]) == []


def test_kepub_has_the_main_epub_s_text_in_kobo_spans(apparatus):
    main, kepub = EpubPackage(apparatus["epub"].read_bytes()), EpubPackage(
        apparatus["kepub"].read_bytes())
    assert kepub.content_documents() == main.content_documents()
    for name in main.content_documents():
        assert words(kepub, name) == words(main, name), name
        root = kepub.tree(name).getroot()
        assert root.xpath("x:body/x:div[@id='book-columns']/x:div[@id='book-inner']",
                          namespaces=NS), name
    assert kobo_ids_unique(kepub) > 50
    # note calls still lead to their notes, untouched
    refs = [a for n in kepub.content_documents() for a in kepub.tree(n).getroot().xpath(
        "//x:a[@epub:type='noteref']", namespaces=NS)]
    assert refs and all(len(a) == 0 and a.text.isdigit() for a in refs)


def test_kindle_epub_breaks_no_kindle_rule_and_has_no_cover_page(apparatus):
    data = apparatus["kindle"].read_bytes()
    assert kindle_rules(data, Path("apparatus-kindle.epub")) == []
    kindle, main = EpubPackage(data), EpubPackage(apparatus["epub"].read_bytes())
    cover_pages = set(main.content_documents()) - set(kindle.content_documents())
    assert cover_pages == {"EPUB/text/cover.xhtml"}
    assert kindle.items_with("cover-image")


def test_page_list_survives_the_changes(tmp_path):
    """With print built in the same run, both retailer EPUBs keep the page-list and the
    markers it points at."""
    result = build_book(MANUSCRIPT / "letters-from-the-volga", ["pdf", "kepub", "kindle"],
                        tmp_path, strict=True)
    assert result.ok, [d.format() for d in result.diagnostics]
    lists = {}
    for artifact in result.artifacts:
        if artifact.format == "pdf":
            continue
        epub = EpubPackage(artifact.path.read_bytes())
        nav = epub.tree(epub.nav_name()).getroot()
        hrefs = nav.xpath("//x:nav[@epub:type='page-list']//x:a/@href", namespaces=NS)
        assert hrefs, artifact.format
        for href in hrefs:
            name, anchor = href.split("#")
            target = epub.tree(epub.href(name)).getroot().xpath(
                f"//*[@id='{anchor}']", namespaces=NS)
            assert target and target[0].get("role") == "doc-pagebreak", href
        ncx = epub.tree(epub.href("toc.ncx")).getroot()
        assert len(ncx.findall(".//ncx:pageTarget", NS)) == len(hrefs)
        lists[artifact.format] = hrefs
    assert lists["kepub"] == lists["kindle"]


SAMPLE_BOOKS = sorted(p.name for p in SAMPLES.iterdir() if (p / "book.yaml").is_file()) \
    if SAMPLES.is_dir() else []


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs the sample books in /work/shared")
@pytest.mark.parametrize("name", SAMPLE_BOOKS)
def test_sample_retailer_epubs_pass(tmp_path, name):
    result = build_book(SAMPLES / name, ["kepub", "kindle"], tmp_path, strict=True)
    assert result.ok, [d.format() for d in result.diagnostics]
    built = {a.format: a.path for a in result.artifacts}
    assert epubcheck_messages(built["kepub"]) == []
    assert epubcheck_messages(built["kindle"]) == []
    assert kobo_ids_unique(EpubPackage(built["kepub"].read_bytes())) > 0
    assert kindle_rules(built["kindle"].read_bytes(), built["kindle"]) == []
