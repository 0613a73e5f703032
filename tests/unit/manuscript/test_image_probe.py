"""Image files through ``images.probe`` and ``collect``: what is published, what is said."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image as PILImage

from make_book.errors import Diagnostics
from make_book.manuscript import file_kinds, images

SQUARE = (b'<svg xmlns="http://www.w3.org/2000/svg" width="2in" height="1in">'
          b"<title>A square</title><!-- note --><rect width='10' height='10'/></svg>")


def saved(fmt: str, mode: str = "L", size=(60, 40), **options) -> bytes:
    buf = io.BytesIO()
    PILImage.new(mode, size, "white").save(buf, fmt, **options)
    return buf.getvalue()


def probe(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    diagnostics = Diagnostics()
    image = images.probe(path, name, diagnostics, tmp_path / "ch.md", 3)
    return image, [d.format(tmp_path) for d in diagnostics]


def zipped() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    return buf.getvalue()


@pytest.mark.parametrize("data, what", [
    (b"", "the file is empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "it is a PDF document"),
    (b"<!DOCTYPE html>\n<html><body>x</body></html>", "it is an HTML page"),
    (b"<html lang='en'><head>", "it is an HTML page"),
    (zipped(), "it is a ZIP archive"),
    (b"Just some words someone saved as an image.\n", "it is a text file"),
    (b"\x1f\x8b\x08\x00rest", "it is a gzip archive"),
    (b"%!PS-Adobe-3.0 EPSF-3.0\n", "it is an EPS file"),
    (b"\x00\x01\x02\x03\xfe\xff" * 10, "it is not an image format make-book reads"),
])
def test_unreadable_file_says_what_it_is(tmp_path, data, what):
    image, lines = probe(tmp_path, "images/figure.png", data)
    assert image is None
    [line] = lines
    assert line.startswith(f"ch.md:3: A004 image images/figure.png cannot be read: {what}")
    assert line.endswith(f"(hint: {images.UNREADABLE_HINT})")


def test_truncated_png_is_named_damaged(tmp_path):
    image, lines = probe(tmp_path, "images/cut.png", saved("PNG", size=(200, 200))[:60])
    assert image is None
    assert lines[0].startswith("ch.md:3: A004 image images/cut.png cannot be read: a damaged "
                               "PNG file")


def test_web_formats_are_published_as_they_are(tmp_path):
    image, lines = probe(tmp_path, "images/a.png", saved("PNG"))
    assert lines == []
    assert (image.href, image.media_type, image.data, image.vector) == (
        "images/a.png", "image/png", None, False)
    assert image.content() == (tmp_path / "images/a.png").read_bytes()


def test_svg_is_published_cleaned_with_its_title(tmp_path):
    image, lines = probe(tmp_path, "images/square.svg", SQUARE)
    assert lines == []
    assert (image.media_type, image.width, image.height) == ("image/svg+xml", 192, 96)
    assert image.vector and image.title == "A square"
    assert b"<!--" not in image.content() and image.print_content() == image.content()


def test_hostile_svg_is_reported_where_it_is_used(tmp_path):
    image, lines = probe(tmp_path, "images/bad.svg",
                         b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>')
    assert image is None
    assert lines[0].startswith("ch.md:3: A011 image images/bad.svg has event handlers "
                               "(onload on <svg>)")


def test_svg_named_like_a_png_is_refused(tmp_path):
    image, lines = probe(tmp_path, "images/square.png", SQUARE)
    assert image is None
    assert lines == ["ch.md:3: A007 image images/square.png is SVG but named .png "
                     "(hint: rename it to square.svg)"]


def test_tiff_is_converted_once_and_renamed(tmp_path, monkeypatch):
    image, lines = probe(tmp_path, "images/plate.tif", saved("TIFF"))
    assert image.href == "images/plate.png" and image.media_type == "image/png"
    assert image.source == (tmp_path / "images/plate.tif").resolve()
    assert lines[0].startswith("ch.md:3: A020 warning: image images/plate.tif is a TIFF image")
    calls = []
    monkeypatch.setattr(images, "_read_raster", lambda *a: calls.append(a))
    again = images.probe(tmp_path / "images/plate.tif", "images/plate.tif", Diagnostics(),
                         tmp_path / "other.md", 9)
    assert calls == [] and again == image  # the second use reads nothing


def test_converted_name_avoids_a_file_of_the_same_stem(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images/plate.png").write_bytes(saved("PNG"))
    image, _ = probe(tmp_path, "images/plate.bmp", saved("BMP"))
    assert image.href == "images/plate-bmp.png"


def test_cmyk_jpeg_keeps_its_name_and_prints_the_original(tmp_path):
    image, lines = probe(tmp_path, "images/press.jpg", saved("JPEG", mode="CMYK"))
    assert image.href == "images/press.jpg" and image.print_original
    assert image.print_content() is None  # the print fetcher reads the file itself
    assert PILImage.open(io.BytesIO(image.content())).mode == "RGB"
    assert "A021 warning" in lines[0]


def test_collect_takes_the_svg_title_as_missing_alt(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images/square.svg").write_bytes(SQUARE)
    (tmp_path / "images/plate.tif").write_bytes(saved("TIFF"))
    section = etree.fromstring(
        '<section><figure><img src="images/square.svg" alt=""/></figure>'
        '<figure><img src="images/square.svg" alt="Mine"/></figure>'
        '<p><img src="images/plate.tif" alt="Plate"/></p></section>')
    found = images.collect(section, tmp_path / "ch.md", tmp_path, lambda s: 1, Diagnostics())
    first, second, plate = section.iter("img")
    assert first.get("alt") == "A square" and second.get("alt") == "Mine"
    assert plate.get("src") == "images/plate.png"
    assert [i.href for i in found] == ["images/square.svg", "images/plate.png"]


def test_sniffing_picks_markup_only():
    assert file_kinds.is_markup(b"\xef\xbb\xbf  <?xml version='1.0'?><svg/>")
    assert not file_kinds.is_markup(b"<!doctype html><html>")
    assert not file_kinds.is_markup(b"\x89PNG\r\n")
    assert file_kinds.first_element(b"<!-- c --><!DOCTYPE svg [<!ENTITY a 'x'>]><svg:svg>") \
        == "svg:svg"
