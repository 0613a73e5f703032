"""End to end: a book with SVG figures and a TIFF plate built to EPUB and print.

The EPUB must carry the cleaned SVGs (image/svg+xml) and the converted PNG and pass
EPUBCheck; the print edition must draw the SVG at the width the rules give (the text
block for a drawing with only a viewBox, its own size for one that has a width) and embed
the PNG made from the TIFF. Hostile SVGs fail the build through the CLI.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree
from PIL import Image as PILImage
from PIL import ImageDraw

from tests.epubcheck_run import epubcheck_messages
from tests.security.bookcase import BASE_YAML, build, diagnostic_lines, runner, write_book
from make_book.cli import app

SVG_NS = "http://www.w3.org/2000/svg"
WIDE = (f'<?xml version="1.0"?>\n<!-- exported by hand -->\n<svg xmlns="{SVG_NS}" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 800 200" '
        'inkscape:version="1.3"><title>A black band</title>'
        '<rect x="0" y="0" width="800" height="200" fill="#000"/></svg>')
INCH = (f'<svg xmlns="{SVG_NS}" width="1in" height="0.5in" viewBox="0 0 10 5">'
        '<title>A small black box</title><rect width="10" height="5" fill="#000"/></svg>')
PARAGRAPH = ("A line of ordinary words set to fill the measure from one margin to the other "
             "so that the width of the text block can be read off the page. ") * 4
CHAPTER = f"""# Figures

{PARAGRAPH}

![](images/band.svg)

{PARAGRAPH}

![A box](images/box.svg)

![A plate](images/plate.tif)
"""


def plate() -> bytes:
    im = PILImage.new("L", (900, 600), 255)
    ImageDraw.Draw(im).rectangle((100, 100, 800, 500), outline=0, width=9)
    buf = io.BytesIO()
    im.save(buf, "TIFF", compression="tiff_lzw")
    return buf.getvalue()


@pytest.fixture(scope="module")
def figures_book(tmp_path_factory):
    root = tmp_path_factory.mktemp("figures") / "figures"
    return write_book(root, {"chapters/01-figures.md": CHAPTER, "images/band.svg": WIDE,
                             "images/box.svg": INCH, "images/plate.tif": plate()})


def test_epub_carries_clean_svgs_and_the_converted_plate(figures_book, tmp_path):
    result = build(figures_book, tmp_path)
    assert result.exit_code == 0, result.output
    assert diagnostic_lines(result) == [
        "chapters/01-figures.md:11: A020 warning: image images/plate.tif is a TIFF image, "
        "which e-readers do not show: converted to PNG for the EPUB and the print edition "
        "(hint: export it as PNG or JPEG yourself to choose how it is converted)"]
    epub = tmp_path / "figures" / "figures.epub"
    with zipfile.ZipFile(epub) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        items = {i.get("href"): i.get("media-type") for i in opf.iter("{*}item")}
        band = z.read("EPUB/images/band.svg")
        chapter = etree.fromstring(z.read("EPUB/text/ch-01-figures.xhtml"))
        png = PILImage.open(io.BytesIO(z.read("EPUB/images/plate.png")))
    assert items["images/band.svg"] == items["images/box.svg"] == "image/svg+xml"
    assert items["images/plate.png"] == "image/png" and "images/plate.tif" not in items
    assert b"<!--" not in band and b"inkscape" not in band
    assert png.size == (900, 600)
    alts = {img.get("src"): img.get("alt") for img in chapter.iter("{*}img")}
    assert alts == {"../images/band.svg": "A black band", "../images/box.svg": "A box",
                    "../images/plate.png": "A plate"}
    assert epubcheck_messages(epub) == []


def test_strict_build_fails_on_the_conversion_warning(figures_book, tmp_path):
    result = build(figures_book, tmp_path, "--strict")
    assert result.exit_code == 1


def _solid_width(png: PILImage.Image, dpi: int, top: float = 0, bottom: float | None = None
                 ) -> float:
    """Width in points of the solid black shapes of a page between ``top`` and ``bottom``
    (points): rows whose longest dark run is over 0.5 in (no glyph is that wide), the
    columns they cover."""
    grey = png.convert("L")
    px = grey.load()
    spans = []
    last = grey.height if bottom is None else min(grey.height, int(bottom * dpi / 72))
    for y in range(int(top * dpi / 72), last):
        run = start = best = 0
        for x in range(grey.width):
            if px[x, y] < 60:
                run += 1
                if run > best:
                    best, start = run, x - run + 1
            else:
                run = 0
        if best > dpi // 2:
            spans.append((start, start + best))
    assert spans, "no solid black shape on the page"
    return (max(e for _, e in spans) - min(s for s, _ in spans)) * 72 / dpi


def _page_png(pdf, page: int, dpi: int, folder) -> PILImage.Image:
    for old in folder.glob("page*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page),
                    str(pdf), str(folder / "page")], check=True)
    return PILImage.open(next(folder.glob("page*.png")))


def _page_text(pdf, page: int, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-f", str(page), "-l", str(page), str(pdf),
                           "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
                    reason="poppler-utils are needed")
def test_print_draws_svgs_at_their_width_and_embeds_the_plate(figures_book, tmp_path):
    result = runner.invoke(app, ["build", str(figures_book), "--format", "pdf", "--out",
                                 str(tmp_path)])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "figures" / "figures-print.pdf"
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    assert [(row.split()[3], row.split()[4], row.split()[5]) for row in listing] == [
        ("900", "600", "gray")]
    pages = int(next(line.split()[1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    texts = {page: _page_text(pdf, page) for page in range(1, pages + 1)}
    dpi = 72
    # the band (viewBox only) fills the measure: as wide as the justified lines
    band_page = next(p for p, t in texts.items() if "ordinary" in t)
    words = list(etree.fromstring(_page_text(pdf, band_page, "-bbox").encode()).iter("{*}word"))
    body = [w for w in words if w.text in ("ordinary", "words", "measure", "margin")]
    text_width = (max(float(w.get("xMax")) for w in words if w.text != "Figures")
                  - min(float(w.get("xMin")) for w in body))
    assert _solid_width(_page_png(pdf, band_page, dpi, tmp_path), dpi) == pytest.approx(
        text_width, abs=2)
    # the box (width="1in", 0.5 in high) prints at its own size, just above its caption
    box_page = next(p for p, t in texts.items() if "A box" in t)
    caption = next(w for w in etree.fromstring(_page_text(pdf, box_page, "-bbox").encode())
                   .iter("{*}word") if w.text == "box")
    above = float(caption.get("yMin"))
    image = _page_png(pdf, box_page, dpi, tmp_path)
    assert _solid_width(image, dpi, above - 54, above) == pytest.approx(72, abs=1.5)


HOSTILE = {
    "script": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><script>x()</script>'
              "</svg>",
    "onload": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1" onload="x()"/>',
    "external": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">'
                '<image href="https://tracker.test/p.png" width="1" height="1"/></svg>',
    "entities": '<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><title>&b;</title>'
                "</svg>",
}
CODES = {"script": "A011", "onload": "A011", "external": "A012", "entities": "A014"}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_svg_fails_the_build(case, tmp_path):
    book = write_book(tmp_path / "book", {
        "chapters/01-one.md": "# One\n\n![A drawing](images/x.svg)\n",
        "images/x.svg": HOSTILE[case]}, BASE_YAML)
    result = build(book, tmp_path / "out")
    assert result.exit_code == 1
    [line] = diagnostic_lines(result)
    assert line.startswith(f"chapters/01-one.md:3: {CODES[case]} image images/x.svg ")
    assert "Traceback" not in result.output
