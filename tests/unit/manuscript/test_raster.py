"""Rasters outside the EPUB core types converted once; CMYK JPEGs get a screen copy."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image as PILImage
from PIL import ImageCms, ImageDraw

from make_book.manuscript import raster


def opened(im: PILImage.Image, fmt: str, **save) -> PILImage.Image:
    buf = io.BytesIO()
    im.save(buf, fmt, **save)
    buf.seek(0)
    return PILImage.open(buf, formats=raster.OPENED)


def line_art(mode: str = "L", size=(300, 200)) -> PILImage.Image:
    im = PILImage.new(mode, size, "white")
    ImageDraw.Draw(im).line((0, 0, *size), fill="black", width=3)
    return im


def photo(size=(300, 200), mode="RGB") -> PILImage.Image:
    rng = random.Random(7)
    im = PILImage.new("RGB", size)
    im.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256))
                for _ in range(size[0] * size[1])])
    return im.convert(mode)


def decoded(data: bytes) -> PILImage.Image:
    im = PILImage.open(io.BytesIO(data))
    im.load()
    return im


def test_line_art_tiff_becomes_png():
    prepared = raster.convert(opened(line_art(), "TIFF", compression="tiff_lzw"))
    assert (prepared.media_type, prepared.suffix) == ("image/png", ".png")
    assert (prepared.width, prepared.height) == (300, 200)
    out = decoded(prepared.data)
    assert out.format == "PNG" and out.getpixel((0, 0)) == 0 and out.getpixel((299, 0)) == 255
    [finding] = prepared.findings
    assert finding.code == "A020" and not finding.error
    assert "is a TIFF image" in finding.message and "converted to PNG" in finding.message


def test_photograph_bmp_becomes_jpeg():
    prepared = raster.convert(opened(photo(), "BMP"))
    assert (prepared.media_type, prepared.suffix) == ("image/jpeg", ".jpg")
    assert decoded(prepared.data).format == "JPEG"
    assert "JPEG (a photograph)" in prepared.findings[0].message


def test_transparency_keeps_png_even_for_a_photograph():
    im = photo().convert("RGBA")
    im.putalpha(128)
    prepared = raster.convert(opened(im, "TIFF"))
    assert prepared.media_type == "image/png"
    assert decoded(prepared.data).mode == "RGBA"


def test_cmyk_tiff_photograph_becomes_rgb_jpeg():
    prepared = raster.convert(opened(photo(mode="CMYK"), "TIFF"))
    assert prepared.media_type == "image/jpeg"
    assert decoded(prepared.data).mode == "RGB"
    assert "CMYK turned to RGB without a colour profile" in prepared.findings[0].message


def test_multi_page_tiff_uses_the_first_page_and_says_so():
    first, second = line_art(), photo().convert("L")
    buf = io.BytesIO()
    first.save(buf, "TIFF", save_all=True, append_images=[second])
    buf.seek(0)
    prepared = raster.convert(PILImage.open(buf, formats=raster.OPENED))
    assert [f.code for f in prepared.findings] == ["A022", "A020"]
    assert "2 pages" in prepared.findings[0].message
    assert decoded(prepared.data).getpixel((299, 0)) == 255  # the line art, not the noise


def test_orientation_tag_is_applied():
    im = line_art(size=(300, 200))
    exif = PILImage.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    prepared = raster.convert(opened(im, "TIFF", exif=exif))
    assert (prepared.width, prepared.height) == (200, 300)


def test_sixteen_bit_grey_stays_png():
    im = PILImage.new("I;16", (40, 30), 40000)
    prepared = raster.convert(opened(im, "TIFF"))
    assert prepared.media_type == "image/png"
    assert decoded(prepared.data).size == (40, 30)


def test_cmyk_jpeg_screen_copy_and_print_original():
    im = opened(photo(mode="CMYK"), "JPEG")
    prepared = raster.screen_copy_of_cmyk_jpeg(im)
    assert prepared.print_original and prepared.media_type == "image/jpeg"
    assert prepared.suffix is None  # same name: print embeds the original under it
    assert decoded(prepared.data).mode == "RGB"
    [finding] = prepared.findings
    assert finding.code == "A021" and not finding.error
    assert "print edition embeds the CMYK original" in finding.message


@pytest.mark.skipif(not hasattr(ImageCms, "createProfile"), reason="littlecms is needed")
def test_cmyk_with_profile_is_converted_through_it():
    # a CMYK image carrying an sRGB-derived profile is not valid CMYK ICC: the plain
    # formula is used and the message says so, never a traceback
    im = photo(mode="CMYK")
    bogus = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    prepared = raster.screen_copy_of_cmyk_jpeg(opened(im, "JPEG", icc_profile=bogus))
    assert decoded(prepared.data).mode == "RGB"
    assert "without a colour profile" in prepared.findings[0].message


def test_photographic_heuristic():
    assert raster.photographic(photo())
    assert not raster.photographic(line_art("RGB"))
    assert not raster.photographic(photo().convert("L"))  # grey stays lossless


def test_profile_kept_only_while_the_colour_model_is():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    kept = raster.convert(opened(line_art("RGB"), "TIFF", icc_profile=srgb))
    assert decoded(kept.data).info.get("icc_profile") == srgb
    cmyk = raster.convert(opened(line_art("CMYK"), "TIFF", icc_profile=b"not for RGB"))
    out = decoded(cmyk.data)
    assert out.mode == "RGB" and "icc_profile" not in out.info
