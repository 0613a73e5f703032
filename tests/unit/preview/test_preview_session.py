"""The preview's session: what a rebuild keeps and redoes, what a page shows, and that
only the preview's own pages are served."""

from __future__ import annotations

import posixpath

import pytest
from lxml import etree

from make_book.errors import warning
from make_book.preview import pages
from make_book.preview.print_pages import Outcome
from make_book.preview.session import PRINT_URL, Session
from tests.preview_support import CHAPTER_ONE, CHAPTER_TWO, save, write_book


class FakeWorker:
    """Records the print layouts asked for; the test finishes them."""

    def __init__(self, done):
        self.done = done
        self.asked = []

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def request(self, job) -> None:
        self.asked.append(job)

    def pending(self, key: str) -> bool:
        return any(j.key == key for j in self.asked)


@pytest.fixture
def session(tmp_path):
    root = write_book(tmp_path / "book")
    made = Session(root, tmp_path, worker_factory=FakeWorker)
    assert made.rebuild().ok
    return made


def _chapter(session: Session, n: int) -> str:
    file_id = session.site.book.chapters[n].file_id
    return session.site.chapter_path(file_id)


def _text(data: bytes) -> str:
    return "".join(etree.fromstring(data).itertext())


def test_a_chapter_page_is_the_epub_document_with_the_preview_added(session):
    path = _chapter(session, 0)
    served = session.page(path)
    assert served.media_type == pages.XHTML_TYPE
    root = etree.fromstring(served.data)  # still well-formed XHTML
    ns = {"x": pages.XHTML_NS}
    assert root.xpath("//x:head/x:link/@href", namespaces=ns) == ["../css/book.css",
                                                                  pages.PREVIEW_CSS]
    assert root.xpath("//x:head/x:script/@src", namespaces=ns) == [pages.LIVE_JS]
    assert root.get("data-preview-token") == session.token(path)
    assert "walked the quay" in _text(served.data)
    assert root.xpath("//x:section[@id='mb-preview-print']", namespaces=ns)
    # the stylesheet, live script and the contents are served too
    assert b"font-face" in session.page("/css/book.css").data
    assert b"EventSource" in session.page(pages.LIVE_JS).data
    assert b"The Harbour" in session.page("/").data


def test_opening_a_chapter_asks_for_its_print_pages_once(session):
    assert session.worker.asked == []  # not before it is opened (or edited)
    path = _chapter(session, 1)
    session.page(path)
    session.page(path)
    assert [j.file_id for j in session.worker.asked] == [session.site.book.chapters[1].file_id]
    assert "Laying out the print pages" in _text(session.page(path).data)


def test_print_images_shown_then_kept_when_a_layout_fails(session):
    path = _chapter(session, 0)
    session.page(path)
    job = session.worker.asked[-1]
    before = session.token(path)
    session.worker.asked.clear()
    moved = warning("P004", "footnote 1 moved to the chapter's end",
                    session.root / "chapters" / "01-harbour.md", 3)
    session._printed(Outcome(job, (b"\x89PNG one", b"\x89PNG two"), findings=(moved,)))
    assert session.token(path) != before  # the open page reloads
    assert "book/chapters/01-harbour.md:3: P004 warning: footnote 1" in _text(
        session.page(path).data)
    root = etree.fromstring(session.page(path).data)
    images = root.xpath("//*[@class='mb-page']/@src")
    assert len(images) == 2
    assert session.page(images[1].split("?")[0]).data == b"\x89PNG two"
    assert session.page(f"{PRINT_URL}{job.file_id}/3.png") is None
    session._printed(Outcome(job, problem="V003 the print pages cannot be laid out: no"))
    shown = session.page(path).data
    assert b"V003" in shown and shown.count(b'class="mb-page"') == 2


def test_an_edit_reparses_its_file_and_relays_its_print_pages(session):
    one, two = _chapter(session, 0), _chapter(session, 1)
    one_token, two_token = session.token(one), session.token(two)
    save(session.root / "chapters" / "02-bell.md", CHAPTER_TWO.replace("twice", "thrice"))
    rebuilt = session.rebuild(full=False)
    assert rebuilt.ok and rebuilt.parsed == ["chapters/02-bell.md"]
    assert "thrice" in _text(session.page(two).data)
    assert session.token(two) != two_token
    assert session.token(one) == one_token  # an open chapter 1 does not reload
    assert [j.file_id for j in session.worker.asked] == [
        session.site.book.chapters[1].file_id]


def test_an_error_keeps_the_last_good_pages_and_shows_where(session):
    path = _chapter(session, 0)
    good = session.page(path).data
    save(session.root / "chapters" / "01-harbour.md",
         CHAPTER_ONE + "\nSee [nowhere](#no-such-place).\n")
    rebuilt = session.rebuild(full=False)
    assert not rebuilt.ok
    line = (CHAPTER_ONE + "\nSee [nowhere](#no-such-place).\n").splitlines().index(
        "See [nowhere](#no-such-place).") + 1
    shown = _text(session.page(path).data)
    assert f"book/chapters/01-harbour.md:{line}: C050" in shown
    assert "last good build" in shown
    assert "walked the quay" in shown
    assert f"01-harbour.md:{line}: C050".encode() in session.page("/").data
    save(session.root / "chapters" / "01-harbour.md", CHAPTER_ONE)
    assert session.rebuild(full=False).ok
    assert session.page(path).data == good.replace(
        etree.fromstring(good).get("data-preview-token").encode(),
        session.token(path).encode())


def test_a_broken_book_yaml_first_shows_the_errors(tmp_path):
    root = write_book(tmp_path / "book")
    (root / "book.yaml").write_text("title: The Lantern Keeper\nlang: en-GB\nauthr: X\n",
                                    encoding="utf-8")
    session = Session(root, tmp_path, worker_factory=FakeWorker)
    assert not session.rebuild().ok
    index = session.page("/").data.decode()
    assert "book/book.yaml:3:" in index
    assert session.page("/text/anything.xhtml") is None


@pytest.mark.parametrize("path", [
    "/book.yaml", "/chapters/01-harbour.md", "/../book.yaml", "/text/../../book.yaml",
    "/text/../book.yaml", "//etc/passwd", "/css/../book.yaml", f"{PRINT_URL}../x/1.png",
    f"{PRINT_URL}x/../../1.png", "/_preview/../book.yaml", "/css", "/text/"])
def test_only_what_the_preview_made_is_served(session, path):
    assert session.page(path) is None


def test_what_the_kept_stylesheet_found_is_still_shown(tmp_path):
    """A character no font has is found when the stylesheet's fonts are chosen (a full
    rebuild); a chapter's edit keeps the stylesheet, and the warning stays on the page."""
    root = write_book(tmp_path / "book")
    save(root / "chapters" / "02-bell.md", CHAPTER_TWO + "\nA mark: \ue000.\n")
    session = Session(root, tmp_path, worker_factory=FakeWorker)
    assert session.rebuild().ok
    codes = {d.code for d in session.problems}
    assert "P020" in codes  # the private-use character
    save(root / "chapters" / "01-harbour.md", CHAPTER_ONE.replace("dusk", "dawn"))
    rebuilt = session.rebuild(full=False)
    assert rebuilt.ok and rebuilt.parsed == ["chapters/01-harbour.md"]
    assert {d.code for d in session.problems} == codes


@pytest.mark.parametrize("name,at_least", [("apparatus", 16), ("index-in-notes", 12)])
def test_every_link_of_a_book_with_notes_and_indexes_leads_somewhere(book_copy, tmp_path,
                                                                     name, at_least):
    """Book-end notes files, indexes (marks inside notes sent to the back matter too),
    cross-references: each relative link of each page names a page the preview serves and
    an id in it."""
    root = book_copy(name)
    session = Session(root, tmp_path, worker_factory=FakeWorker)
    assert session.rebuild().ok, [d.format() for d in session.problems]
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    for path in session.site.documents:
        root_el = etree.fromstring(session.page(path).data)
        ids[path] = {el.get("id") for el in root_el.iter() if el.get("id")}
        links += [(path, a.get("href")) for a in root_el.iter(f"{{{pages.XHTML_NS}}}a")
                  if a.get("href") and "://" not in a.get("href")]
    assert len(links) >= at_least and any("notes-" in href for _, href in links)
    assert any("index" in path for path in ids)
    for page, href in links:
        target, _, anchor = href.partition("#")
        resolved = (posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
                    if target else page)
        assert session.page(resolved) is not None, (page, href)
        if anchor and resolved in ids:
            assert anchor in ids[resolved], (page, href)


def test_a_failed_full_rebuild_is_redone_in_full(session):
    """book.yaml broken, then a chapter saved while it is fixed: the chapter's rebuild
    must read book.yaml's change too, not keep the last good build's."""
    yaml = session.root / "book.yaml"
    good = yaml.read_text(encoding="utf-8")
    loaded = session.layout_generation
    save(yaml, good + "authr: X\n")
    assert not session.rebuild(full=True).ok
    save(yaml, good.replace("The Lantern Keeper", "The Lamp Keeper"))
    save(session.root / "chapters" / "02-bell.md", CHAPTER_TWO + "\nMore.\n")
    assert session.rebuild(full=False).ok
    assert session.layout_generation == loaded + 1  # layout and stylesheet read again
    assert session.title == "The Lamp Keeper"
    assert b"The Lamp Keeper" in session.page("/").data
