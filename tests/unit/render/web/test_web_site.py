"""The web edition of a real (small) book, rendered in memory: tests/books/web-edition
through the whole pipeline, then render/web/site.py."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from make_book.build import render
from make_book.cache import Cache
from make_book.gate import check_manuscript
from make_book.errors import Diagnostics
from make_book.render.web import render_web
from tests.conftest import BOOKS

WHEN = datetime(2025, 3, 14, tzinfo=UTC)


@pytest.fixture(scope="module")
def fonts_cache(tmp_path_factory):
    return Cache(tmp_path_factory.mktemp("web-cache"))  # WOFF2 made once for the module


def checked(root, diagnostics=None):
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    result = check_manuscript(root, ["web"], diagnostics, glyphs=False)
    assert not diagnostics.errors, diagnostics.items
    return result.book, result.layout


def site_of(root, cache, diagnostics=None):
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    book, layout = checked(root, diagnostics)
    return render_web(book, layout, source_date=WHEN, diagnostics=diagnostics, cache=cache)


@pytest.fixture(scope="module")
def site(fonts_cache):
    return site_of(BOOKS / "web-edition", fonts_cache)


def page(site, name):
    return lxml_html.fromstring(site.files[name])


def test_the_files_of_the_site(site):
    names = set(site.files)
    assert {"index.html", "ch-02-lamp.html", "part-the-light.html", "book-index.html",
            "css/book.css", "feed.atom", "sitemap.xml", "images/tower.png",
            "images/tower-480w.png", "fonts/LibertinusSerif-Regular.woff2"} <= names
    assert not any(n.endswith((".otf", ".xhtml")) for n in names)


def test_notes_close_their_page_with_links_both_ways(site):
    doc = page(site, "ch-02-lamp.html")
    calls = doc.xpath("//a[@role='doc-noteref']")
    assert len(calls) == 3
    for call in calls:
        note = doc.get_element_by_id(call.get("href")[1:])
        assert note.get("role") == "doc-footnote"
        assert note.xpath("ancestor::section[@class='notes']")
        back = note.xpath(".//a[@role='doc-backlink']")[0]
        assert back.get("href") == "#" + call.get("id")


def test_links_go_to_the_pages_holding_their_targets(site):
    doc = page(site, "ch-01-preface.html")
    hrefs = [a.get("href") for a in doc.xpath("//main//a[not(@role)]")]
    assert hrefs == ["ch-02-lamp.html#ch-lamp", "ch-04-ships.html#ch-ships"]
    lamp = page(site, "ch-02-lamp.html")
    assert lamp.xpath("//a[@href='ch-05-glossary.html#glossary-colza']")


def test_frame_navigation_and_landmarks(site):
    doc = page(site, "ch-03-oil.html")
    assert doc.xpath("//a[@class='skip-link']/@href") == ["#main"]
    assert doc.xpath("//main/@id") == ["main"]
    assert doc.xpath("//a[@rel='prev']/@href") == ["ch-02-lamp.html"]
    assert doc.xpath("//a[@rel='next']/@href") == ["part-the-sea.html"]
    assert "part-the-light.html" in doc.xpath("//header[@class='site-head']//a/@href")
    assert doc.get("lang") == "en-GB"


def test_book_page_has_the_metadata_and_the_contents(site):
    from make_book.render.web.jsonld import read_jsonld
    text = site.files["index.html"].decode()
    data = read_jsonld(text)
    assert data["name"] == "The Lighthouse Accounts"
    assert [a["name"] for a in data["author"]] == ["Ada Keeper", "Tom Lamplighter"]
    assert data["url"] == "https://books.example.org/lighthouse/"
    doc = page(site, "index.html")
    assert doc.xpath("//nav[@id='contents']//a/@href")[:3] == [
        "ch-01-preface.html", "part-the-light.html", "ch-02-lamp.html"]
    assert doc.xpath("//p[@class='cover']/img/@srcset")


def test_index_locators_link_into_the_chapters(site):
    doc = page(site, "book-index.html")
    hrefs = doc.xpath("//article[@role='doc-index']//a/@href")
    assert any(h.startswith("ch-02-lamp.html#") for h in hrefs)


def test_building_twice_gives_the_same_files(site, fonts_cache):
    again = site_of(BOOKS / "web-edition", fonts_cache)
    assert again.files == site.files


def test_print_pages_become_anchors(fonts_cache):
    """With the print edition in the same render, each page's first line carries an
    anchor (render.pdf's page map, as the EPUB's page-list)."""
    diagnostics = Diagnostics()
    book, layout = checked(BOOKS / "web-edition", diagnostics)
    out = render(book, ["pdf", "web"], diagnostics, lambda _: None, layout, cache=fonts_cache)
    spans = [s for name, data in out["web"].files.items() if name.endswith(".html")
             for s in lxml_html.fromstring(data).xpath("//span[@role='doc-pagebreak']")]
    assert len(spans) >= 10
    assert all(s.get("id") == f"page-{s.get('title')}" for s in spans)


def test_without_a_base_url_no_feed_or_sitemap(tmp_path, fonts_cache):
    root = tmp_path / "book"
    shutil.copytree(BOOKS / "web-edition", root)
    yaml = root / "book.yaml"
    yaml.write_text(yaml.read_text().replace('web: {base-url: "https://books.example.org/'
                                             'lighthouse"}\n', ""))
    diagnostics = Diagnostics()
    files = site_of(root, fonts_cache, diagnostics).files
    assert "feed.atom" not in files and "sitemap.xml" not in files
    assert "index.html" in files and not diagnostics.items


def test_a_template_override_with_a_script_is_refused(tmp_path, fonts_cache):
    root = tmp_path / "book"
    shutil.copytree(BOOKS / "web-edition", root)
    base = (BOOKS.parents[1] / "layouts/default/templates/web/base.html").read_text()
    override = root / "layout/templates/web/base.html"
    override.parent.mkdir(parents=True)
    override.write_text(base.replace("</body>", "<script>alert(1)</script></body>"))
    diagnostics = Diagnostics()
    site_of(root, fonts_cache, diagnostics)
    assert {d.code for d in diagnostics.errors} == {"E050"}


def test_a_layout_without_web_templates_is_an_error(tmp_path, fonts_cache):
    """A house style of its own (not extending default) has no templates/web/: W002, not
    a traceback."""
    root = tmp_path / "book"
    shutil.copytree(BOOKS / "web-edition", root)
    shipped = BOOKS.parents[1] / "layouts" / "default"
    own = tmp_path / "layouts" / "plain"
    shutil.copytree(shipped, own, ignore=shutil.ignore_patterns("web"))
    yaml = root / "book.yaml"
    yaml.write_text(yaml.read_text() + "layout: plain\n")
    (tmp_path / "book").rename(tmp_path / "manuscript-book")
    project = tmp_path / "project"
    (project / "manuscript").mkdir(parents=True)
    (tmp_path / "manuscript-book").rename(project / "manuscript" / "book")
    (tmp_path / "layouts").rename(project / "layouts")
    diagnostics = Diagnostics()
    site = site_of(project / "manuscript" / "book", fonts_cache, diagnostics)
    assert site.files == {}
    assert [d.code for d in diagnostics.errors] == ["W002"]
