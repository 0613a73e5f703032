"""`make-book preview` in a real browser (headless Chromium over the DevTools protocol):
a chapter opened, its file edited, the new text shown without anyone reloading the page;
an edit with an error shows `file:line` in the page and keeps the last good text; the
print pages follow as images."""

from __future__ import annotations

import shutil

import pytest

from tests.cdp import CHROMIUM, Browser
from tests.preview_support import (
    CHAPTER_ONE,
    PreviewProcess,
    save,
    wait_for,
    write_book,
)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is needed")

BODY = "document.body ? document.body.textContent : ''"
# every link of the chapter's text leads to an element that exists (in this page or in
# the one it names)
LINKS_RESOLVE = """(async () => {
  const out = [];
  for (const a of document.querySelectorAll('section a[href]')) {
    const url = new URL(a.href);
    let doc = document;
    if (url.pathname !== location.pathname) {
      const reply = await fetch(url.pathname);
      doc = new DOMParser().parseFromString(await reply.text(), 'application/xhtml+xml');
    }
    out.push([a.getAttribute('href'), !!doc.getElementById(url.hash.slice(1))]);
  }
  return out;
})()"""
PRINT_IMAGES = """(() => {
  const images = [...document.querySelectorAll('#mb-preview-print img.mb-page')];
  return images.length > 0 && images.every(i => i.complete && i.naturalWidth > 300)
    ? images.length : 0;
})()"""


def ask(browser: Browser, expression: str):
    """An expression's value once the page answers (it may be reloading: after an edit,
    and again when the print pages are ready)."""
    return wait_for(lambda: [v] if (v := browser.evaluate(expression)) is not None else None,
                    60, expression)[0]


@pytest.fixture
def preview(tmp_path):
    book = write_book(tmp_path / "lantern-keeper")
    process = PreviewProcess(book)
    browser = Browser()
    yield book, process, browser
    browser.close()
    process.close()
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_edit_shows_in_the_open_page(preview):
    book, process, browser = preview
    chapter = book / "chapters" / "01-harbour.md"
    browser.open(process.url)
    first = wait_for(lambda: browser.evaluate(
        "document.querySelector('#mb-contents a') && "
        "document.querySelector('#mb-contents a').href"), 30, "the contents")
    assert "The Harbour" in ask(browser, BODY)
    browser.open(first)
    wait_for(lambda: "walked the quay" in (browser.evaluate(BODY) or ""), 30, "chapter 1")
    links = wait_for(lambda: browser.evaluate(LINKS_RESOLVE, await_promise=True), 30,
                     "the links")
    assert any("#the-bell" in href for href, _ in links)  # to the other chapter
    assert len(links) >= 2  # and the note reference
    assert all(found for _, found in links), links

    # the print pages follow in the background, as images
    pages = wait_for(lambda: browser.evaluate(PRINT_IMAGES), 600, "the print pages",
                     interval=1)
    assert pages >= 1
    assert "differ from the whole book" in ask(browser, BODY)

    # an edit: the page shows it by itself (the mark set here is gone: it reloaded)
    assert ask(browser, "window.notReloaded = true")
    save(chapter, CHAPTER_ONE.replace("walked the quay", "crossed the bridge"))
    wait_for(lambda: "crossed the bridge" in (browser.evaluate(BODY) or ""), 60,
             "the edited text")
    assert "walked the quay" not in ask(browser, BODY)
    assert ask(browser, "window.notReloaded === undefined")

    # an error: shown in the page at its file and line, the last good text kept
    broken = CHAPTER_ONE.replace("walked the quay", "crossed the bridge") + (
        "\nSee [nowhere](#no-such-place).\n")
    line = broken.splitlines().index("See [nowhere](#no-such-place).") + 1
    save(chapter, broken)
    problems = wait_for(lambda: browser.evaluate(
        "document.getElementById('mb-preview-problems') && "
        "document.getElementById('mb-preview-problems').textContent"), 60, "the error")
    assert f"chapters/01-harbour.md:{line}: C050" in problems
    assert "crossed the bridge" in ask(browser, BODY)
    assert "last good build" in ask(browser, BODY)

    # fixed: the problems go
    save(chapter, CHAPTER_ONE)
    wait_for(lambda: "walked the quay" in (browser.evaluate(BODY) or ""), 60, "the fix")
    assert ask(browser, "document.getElementById('mb-preview-problems') === null")

    status, err = process.interrupt()
    assert status == 130
    assert "Traceback" not in err
    assert "preview stopped" in err
