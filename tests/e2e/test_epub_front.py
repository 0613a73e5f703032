"""End to end: the EPUB's generated front and chapter openings agree with print.

- the cover keeps the image's proportions on any screen (laid out here with WeasyPrint at
  phone, tablet and desktop sizes, with the EPUB's own stylesheet);
- the title page credits the people the print title page credits, authors given as
  ``creator`` entries included;
- titles from YAML get the text's typography in the OPF, the title page and print;
- the first paragraph after a heading follows the heading directly, even where a print
  page begins (its pagebreak marker is inside the paragraph) or an anchor stands alone.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree
from PIL import Image as PILImage

from make_book.cli import app
from tests.epubcheck_run import epubcheck_messages
from tests.security.bookcase import runner, write_book

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="pdftotext (poppler-utils) is needed")

YAML = """title: "The Miller's Year -- a \\"Chronicle\\""
creator:
  - {name: "Ruth O'Neill", role: aut}
translator: Piet de Wit
illustrator: Mara Quist
lang: en-GB
publisher: Riverside Press
cover-image: images/cover.jpg
"""
PARAGRAPH = ("The mill wheel turned through the whole of the wet spring, and the miller kept "
             "his accounts in a narrow book that smelled of flour and lamp oil. ") * 6
CHAPTERS = {
    "chapters/01-spring.md": "# Spring\n\n[]{#spring-starts}\n\n"
                             + "\n\n".join([PARAGRAPH] * 12) + "\n",
    "chapters/02-summer.md": "---\ntitle: \"The Miller's Summer -- and After\"\n---\n\n"
                             + "\n\n".join([PARAGRAPH] * 12) + "\n",
}
XHTML = {"x": "http://www.w3.org/1999/xhtml", "dc": "http://purl.org/dc/elements/1.1/",
         "opf": "http://www.idpf.org/2007/opf"}
COVER_PX = (1400, 2100)


def cover_jpeg() -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", COVER_PX, (120, 40, 30)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("front")
    root = write_book(tmp / "miller", {**CHAPTERS, "images/cover.jpg": cover_jpeg()}, YAML)
    out = tmp / "out"
    result = runner.invoke(app, ["build", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "miller" / "miller.epub", out / "miller" / "miller-print.pdf"


def read(epub, name: str) -> bytes:
    with zipfile.ZipFile(epub) as z:
        return z.read(name)


def xml(epub, name: str):
    return etree.fromstring(read(epub, name))


def test_epubcheck_passes(built):
    assert epubcheck_messages(built[0]) == []


def test_titles_from_yaml_are_typeset_everywhere(built):
    epub, pdf = built
    opf = xml(epub, "EPUB/content.opf")
    assert opf.xpath("string(//dc:title)", namespaces=XHTML) == \
        "The Miller\u2019s Year \u2013 a \u201cChronicle\u201d"
    assert opf.xpath("string(//dc:creator)", namespaces=XHTML) == "Ruth O\u2019Neill"
    title = xml(epub, "EPUB/text/titlepage.xhtml")
    assert title.xpath("string(//x:h1)", namespaces=XHTML) == \
        "The Miller\u2019s Year \u2013 a \u201cChronicle\u201d"
    text = subprocess.run(["pdftotext", "-l", "6", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "The Miller\u2019s Year \u2013 a \u201cChronicle\u201d" in text
    assert "'" not in text and '"' not in text
    # a chapter's title from its YAML block too
    chapter = xml(epub, "EPUB/text/ch-02-summer.xhtml")
    assert chapter.xpath("string(//x:h1)", namespaces=XHTML) == \
        "The Miller\u2019s Summer \u2013 and After"
    everything = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                check=True).stdout
    assert "The Miller\u2019s Summer \u2013 and After" in everything


def test_title_page_credits_the_people_print_credits(built):
    epub, pdf = built
    page = xml(epub, "EPUB/text/titlepage.xhtml")
    lines = [" ".join("".join(p.itertext()).split())
             for p in page.xpath("//x:section/x:p", namespaces=XHTML)]
    assert lines[0] == "Ruth O\u2019Neill"  # an author given as a creator entry
    assert "Translated by Piet de Wit" in lines and "Illustrated by Mara Quist" in lines
    printed = subprocess.run(["pdftotext", "-l", "6", str(pdf), "-"], capture_output=True,
                             text=True, check=True).stdout
    def squeezed(text: str) -> str:  # print sets names in letter-spaced small capitals
        return "".join(text.lower().split())

    for line in lines:
        assert squeezed(line) in squeezed(printed), line


def test_first_paragraph_follows_its_heading(built):
    epub, _ = built
    markers = 0
    for name in ("EPUB/text/ch-01-spring.xhtml", "EPUB/text/ch-02-summer.xhtml"):
        doc = xml(epub, name)
        markers += len(doc.xpath("//*[@role='doc-pagebreak']"))
        for heading in doc.xpath("//x:header | //x:h2 | //x:h3", namespaces=XHTML):
            after = heading.getnext()
            assert after is not None and etree.QName(after).localname == "p", name
            assert "".join(after.itertext()).strip(), name  # the text, not an empty anchor
        # no marker sits between blocks of running text
        assert not doc.xpath("//x:section/x:span[@role='doc-pagebreak']", namespaces=XHTML)
    assert markers >= 4  # the print pages are marked


CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                   "google-chrome"))), None)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is needed (reading systems are browsers)")
@pytest.mark.parametrize("screen", [(360, 640), (1024, 600), (1920, 1080), (600, 1600)])
def test_cover_keeps_its_proportions_on_any_screen(built, screen, tmp_path):
    """The cover page shown by a browser engine, as reading systems do, at phone, tablet and
    desktop sizes: the image whole, in its own proportions (the width and height attributes
    are presentational hints a browser maps to CSS sizes: capped alone, they stretched it)."""
    epub, _ = built
    with zipfile.ZipFile(epub) as z:
        z.extractall(tmp_path / "book")
    w, h = screen
    shot = tmp_path / "cover.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", f"--screenshot={shot}", f"--window-size={w},{h}",
                    (tmp_path / "book" / "EPUB" / "text" / "cover.xhtml").as_uri()],
                   capture_output=True, check=True, timeout=120)
    image = PILImage.open(shot).convert("RGB")
    # the cover is one dark red: where it is painted
    mask = image.point(lambda v: 255 if v < 200 else 0).convert("L")
    left, top, right, bottom = mask.getbbox()
    shown_w, shown_h = right - left, bottom - top
    assert shown_w / shown_h == pytest.approx(COVER_PX[0] / COVER_PX[1], abs=0.01)
    assert shown_h >= h - 2 or shown_w >= w - 2 * 16 - 2  # as large as the screen allows
