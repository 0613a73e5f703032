"""End to end: the print sheet of a built book (KDP Print's: see render/print/geometry.py).

- ``bleed: auto`` (the default) and nothing bleeds: every page is the trim, nothing more;
- a figure marked ``{.bleed}``: every page gets the bleed on its three outer edges (the
  spine side never), and the figure fills its page to the bleed with no folio on it;
- ``bleed: 0`` with a figure marked to bleed: the figure stays inside, with a warning;
- ``marks: crop``: the marks lie outside the bleed.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pikepdf
import pytest
from PIL import Image as PILImage

from make_book.cli import app
from tests.security.bookcase import BASE_YAML, runner, write_book

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None
                                or shutil.which("pdftotext") is None,
                                reason="poppler-utils are needed")

FIELD_RGB = (40, 90, 150)
PARAGRAPH = ("The surveyors walked the long field from the river to the road and counted "
             "the furrows twice, because the first count did not agree with the map. ") * 5


def field_png(size=(1875, 2775)) -> bytes:
    """6.25 x 9.25 in at 300 dpi, one colour: the bleed page's image is easy to find."""
    buf = io.BytesIO()
    PILImage.new("RGB", size, FIELD_RGB).save(buf, "PNG")
    return buf.getvalue()


def chapter(bleed_figure: bool) -> str:
    figure = ("\n![The long field at dusk.](images/field.png){#fig-field .bleed "
              'alt="A field under a blue sky"}\n\n' if bleed_figure else "\n")
    return ("# The Survey\n\n" + "\n\n".join([PARAGRAPH] * 4) + "\n" + figure
            + "\n\n".join([PARAGRAPH] * 6) + "\n")


def built(tmp_path, name: str, print_yaml: str, bleed_figure: bool, size=(1875, 2775)):
    files = {"chapters/01-survey.md": chapter(bleed_figure)}
    if bleed_figure:
        files["images/field.png"] = field_png(size)
    root = write_book(tmp_path / name, files, BASE_YAML + f"print: {print_yaml}\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(root), "--format", "pdf", "--out", str(out)])
    return result, out / name / f"{name}-print.pdf"


def boxes(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        return [tuple([float(v) for v in page.obj[name]]
                      for name in ("/MediaBox", "/BleedBox", "/TrimBox")) for page in pdf.pages]


def page_text(pdf_path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout


def page_png(pdf_path, page: int, tmp_path) -> PILImage.Image:
    stem = tmp_path / f"p{page}"
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", "-f", str(page), "-l",
                    str(page), str(pdf_path), str(stem)], check=True)
    return PILImage.open(f"{stem}.png").convert("RGB")


def test_no_bleed_when_nothing_bleeds(tmp_path):
    result, pdf = built(tmp_path, "plain", "{trim: 6in 9in}", bleed_figure=False)
    assert result.exit_code == 0, result.output
    for media, bleed, trim in boxes(pdf):
        assert media == bleed == trim
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((432, 648))


def test_a_bleeding_figure_gives_three_edge_bleed_and_fills_its_page(tmp_path):
    result, pdf = built(tmp_path, "bleeding", "{trim: 6in 9in}", bleed_figure=True)
    assert result.exit_code == 0, result.output
    assert " P0" not in result.output  # no resolution warning: 300 dpi at the bleed's size
    for index, (media, bleed, trim) in enumerate(boxes(pdf)):
        assert media == bleed
        # KDP: 6.125 x 9.25 in
        assert (media[2] - media[0], media[3] - media[1]) == pytest.approx((441, 666))
        if index % 2 == 0:  # recto: no bleed on the left (spine) edge
            assert (trim[0] - media[0], media[2] - trim[2]) == pytest.approx((0, 9))
        else:
            assert (trim[0] - media[0], media[2] - trim[2]) == pytest.approx((9, 0))
        assert (trim[1] - media[1], media[3] - trim[3]) == pytest.approx((9, 9))
    pages = len(boxes(pdf))
    figure_page = next(p for p in range(1, pages + 1) if "long field at dusk" in page_text(pdf, p))
    text = page_text(pdf, figure_page)
    assert "surveyors" not in text and not any(w.isdigit() for w in text.split())  # no folio
    image = page_png(pdf, figure_page, tmp_path)
    w, h = image.size  # 72 dpi: one pixel a point, the bleed included
    for x, y in ((1, 1), (w - 2, 1), (1, h - 2), (w - 2, h - 2), (w // 2, 4)):
        assert image.getpixel((x, y)) == pytest.approx(FIELD_RGB, abs=3), (x, y)
    # the text pages around it keep their margins: white at the outer edge
    other = page_png(pdf, figure_page - 1, tmp_path)
    assert other.getpixel((other.size[0] // 2, 2)) == (255, 255, 255)


def test_a_bleeding_figure_too_small_for_its_page_is_reported(tmp_path):
    # wide enough for the page at 300 dpi, but 1600 px over 9.25 in of height: 173 dpi
    result, _ = built(tmp_path, "coarse", "{trim: 6in 9in}", bleed_figure=True,
                      size=(2400, 1600))
    assert result.exit_code == 0, result.output
    assert ("P002 warning: figure images/field.png prints at 173 dpi, under 300 "
            "(1600 px over 9.25 in)") in result.output
    assert "1875 x 2775 px" in result.output


def test_no_bleed_setting_keeps_the_figure_inside_with_a_warning(tmp_path):
    result, pdf = built(tmp_path, "nobleed", "{trim: 6in 9in, bleed: 0}", bleed_figure=True)
    assert result.exit_code == 0, result.output
    assert "P050" in result.output and "fig-field" in result.output
    for media, bleed, trim in boxes(pdf):
        assert media == bleed == trim


def test_crop_marks_outside_the_bleed(tmp_path):
    result, pdf = built(tmp_path, "marked", "{trim: 6in 9in, bleed: 0.125in, marks: crop}",
                        bleed_figure=False)
    assert result.exit_code == 0, result.output
    media, _, trim = boxes(pdf)[0]
    image = page_png(pdf, 1, tmp_path)
    # a 72 dpi pixel per point: the mark on the trim's top line, left of the page, lies
    # beyond the bleed; inside the bleed the sheet is white
    y = round(media[3] - trim[3])
    left = round(trim[0] - media[0])
    row = [image.getpixel((x, y)) for x in range(left)]
    dark = [x for x, rgb in enumerate(row) if sum(rgb) < 300]
    assert dark and max(dark) < left - 9  # drawn, and never within 9 pt (the bleed) of the trim
