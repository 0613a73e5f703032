"""The web edition in headless Chromium (issue 16): every page loads with no console
error or failed load, axe-core finds no WCAG 2.2 AA violation, previous/next and contents
links lead where they say, a note call jumps to its note and the note's number back, and a
375 px phone screen needs no sideways scrolling. The case book is built with print too (its
page anchors); each shared sample is built as a web edition, all into one folder with its
catalogue."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from make_book.cli import app
from tests.cdp import CHROMIUM
from tests.preview_support import wait_for
from tests.conftest import BOOKS
from tests.security.bookcase import runner
from tests.web_browser import AXE, Server, WebBrowser

SAMPLES = Path("/work/shared/samples")
SAMPLE_NAMES = sorted(p.name for p in SAMPLES.iterdir() if (p / "book.yaml").is_file()) \
    if SAMPLES.is_dir() else []
AXE_PAGES = 8  # per sample: every page loads, these also get the (slower) axe run

pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="Chromium is needed"),
              pytest.mark.skipif(not AXE.is_file(), reason="axe-core is needed: "
                                 "scripts/setup.sh --test installs it in tools/axe/")]

LINK_TARGETS = """(async () => {
  const out = [];
  for (const a of document.querySelectorAll(%s)) {
    const url = new URL(a.href);
    let doc = document;
    if (url.pathname !== location.pathname) {
      const reply = await fetch(url.pathname);
      if (!reply.ok) { out.push([a.getAttribute('href'), false]); continue; }
      doc = new DOMParser().parseFromString(await reply.text(), 'text/html');
    }
    out.push([a.getAttribute('href'), !url.hash || !!doc.getElementById(
      decodeURIComponent(url.hash.slice(1)))]);
  }
  return JSON.stringify(out);
})()"""
IN_VIEW = """(() => {
  const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (!el) return false;
  const box = el.getBoundingClientRect();
  return box.top >= -1 && box.top < window.innerHeight;
})()"""


def broken_links(browser: WebBrowser, selector: str) -> list[str]:
    found = json.loads(browser.evaluate(LINK_TARGETS % json.dumps(selector),
                                        await_promise=True))
    assert found, f"no links {selector}"
    return [href for href, ok in found if not ok]


@pytest.fixture(scope="module")
def browser():
    b = WebBrowser(1200, 900)
    yield b
    b.close()


@pytest.fixture(scope="module")
def case_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("web-case")
    result = runner.invoke(app, ["build", str(BOOKS / "web-edition"), "--out", str(out),
                                 "-f", "web", "-f", "pdf", "--strict"])
    assert result.exit_code == 0, result.output
    server = Server(out / "web-edition" / "web")
    yield server, out / "web-edition" / "web"
    server.close()


def pages_of(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("*.html"))


def check_page(browser: WebBrowser, url: str, axe: bool = True) -> None:
    browser.load(url)
    assert browser.errors() == [], url
    if axe:
        assert browser.axe() == [], url


def test_every_page_loads_clean_and_passes_axe(browser, case_site):
    server, site = case_site
    for name in pages_of(site):
        check_page(browser, server.url + name)


def test_phone_screen_needs_no_sideways_scroll(browser, case_site):
    server, site = case_site
    browser.phone()
    try:
        for name in pages_of(site):
            browser.load(server.url + name)
            assert browser.horizontal_overflow() == 0, name
        browser.load(server.url + "ch-02-lamp.html")  # the phone gets a narrow image
        image = "document.querySelector('figure img, p.mb-image img')"
        browser.evaluate(f"{image}.scrollIntoView()")  # it loads lazily
        chosen = wait_for(lambda: browser.evaluate(f"{image}.complete && {image}.currentSrc"),
                          30, "the figure")
        assert chosen.endswith("tower-960w.png"), chosen  # 375 px at 2x: not the 1400 px file
    finally:
        browser.phone(False)


def test_reading_order_by_next_and_previous(browser, case_site):
    server, site = case_site
    browser.load(server.url + "index.html")
    assert broken_links(browser, "nav#contents a") == []
    url = browser.follow("p.start-reading a")
    visited = [url]
    while browser.evaluate("!!document.querySelector('a[rel=next]')"):
        visited.append(browser.follow("a[rel=next]"))
    names = [u.rsplit("/", 1)[1] for u in visited]
    assert names == ["ch-01-preface.html", "part-the-light.html", "ch-02-lamp.html",
                     "ch-03-oil.html", "part-the-sea.html", "ch-04-ships.html",
                     "ch-05-glossary.html", "book-index.html"]
    assert browser.follow("a[rel=prev]").endswith("ch-05-glossary.html")
    # a chapter in a part leads up to its part's page, which lists its chapters
    browser.load(server.url + "ch-03-oil.html")
    assert browser.follow(".site-head a[href='part-the-light.html']")
    assert broken_links(browser, "nav.part-contents a") == []


def test_note_call_jumps_to_its_note_and_back(browser, case_site):
    server, _ = case_site
    browser.load(server.url + "ch-02-lamp.html")
    assert broken_links(browser, "main a[href]") == []  # notes, glossary, figure, other pages
    note = browser.evaluate("document.querySelectorAll('a[role=doc-noteref]')[1]"
                            ".getAttribute('href')")
    browser.evaluate("document.querySelectorAll('a[role=doc-noteref]')[1].click()")
    assert browser.evaluate("location.hash") == note
    assert browser.evaluate(IN_VIEW)
    back = browser.evaluate(f"document.querySelector('{note} a[role=doc-backlink]')"
                            ".getAttribute('href')")
    browser.evaluate(f"document.querySelector('{note} a[role=doc-backlink]').click()")
    assert browser.evaluate("location.hash") == back
    assert browser.evaluate(IN_VIEW)


def test_print_pages_are_anchors(browser, case_site):
    """Built with print in the same run: "p. 5" can link to #page-5 on its chapter's page."""
    server, site = case_site
    anchors = {}
    for name in pages_of(site):
        browser.load(server.url + name)
        for folio in browser.evaluate("[...document.querySelectorAll("
                                      "'span[role=doc-pagebreak]')].map(s => s.id)"):
            anchors[folio] = name
    assert len(anchors) >= 10
    name = anchors["page-5"]
    browser.load(server.url + name + "#page-5")
    assert browser.evaluate(IN_VIEW)
    assert browser.evaluate("document.getElementById('page-5').title") == "5"


def test_index_links_lead_to_the_marks(browser, case_site):
    server, _ = case_site
    browser.load(server.url + "book-index.html")
    assert broken_links(browser, "article.index a") == []


@pytest.fixture(scope="module")
def samples_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("web-samples")
    result = runner.invoke(app, ["build", *(str(SAMPLES / n) for n in SAMPLE_NAMES),
                                 "--out", str(out), "-f", "web", "--strict"])
    assert result.exit_code == 0, result.output
    server = Server(out)
    yield server, out
    server.close()
    shutil.rmtree(out, ignore_errors=True)


def axe_pages(site: Path) -> list[str]:
    """The pages axe-core reads: the book page, the first chapters, the parts and indexes,
    the page with the most notes, the last page."""
    names = pages_of(site)
    notes = max(names, key=lambda n: (site / n).read_text("utf-8").count("doc-footnote"))
    first = [n for n in names if n.startswith("ch-")][:3]
    other = [n for n in names if not n.startswith("ch-") and n != "index.html"]
    chosen = ["index.html", notes, *first, *other[:2], names[-1]]
    return list(dict.fromkeys(chosen))[:AXE_PAGES]


@pytest.mark.skipif(not SAMPLE_NAMES, reason="needs the sample books in /work/shared")
@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_web_edition(browser, samples_site, name):
    server, out = samples_site
    site = out / name / "web"
    base = f"{server.url}{name}/web/"
    names = pages_of(site)
    checked = axe_pages(site)
    for page in names:
        check_page(browser, base + page, axe=page in checked)
    browser.load(base + "index.html")
    assert broken_links(browser, "nav#contents a") == []
    notes_page = checked[1]
    browser.load(base + notes_page)
    if browser.evaluate("!!document.querySelector('a[role=doc-noteref]')"):
        note = browser.evaluate("document.querySelector('a[role=doc-noteref]')"
                                ".getAttribute('href')")
        browser.evaluate("document.querySelector('a[role=doc-noteref]').click()")
        assert browser.evaluate("location.hash") == note
        assert browser.evaluate(IN_VIEW)
    browser.phone()
    try:
        for page in checked:
            browser.load(base + page)
            assert browser.horizontal_overflow() == 0, page
    finally:
        browser.phone(False)


@pytest.mark.skipif(len(SAMPLE_NAMES) < 2, reason="needs the sample books in /work/shared")
def test_catalogue_lists_every_sample(browser, samples_site):
    server, out = samples_site
    check_page(browser, server.url + "index.html")
    assert broken_links(browser, "main a") == []
    assert browser.evaluate("document.querySelectorAll('main li').length") == len(SAMPLE_NAMES)
