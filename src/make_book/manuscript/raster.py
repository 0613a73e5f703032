"""Raster images outside the EPUB core types (TIFF, BMP, PSD, AVIF...) made publishable.

EPUB readers show JPEG, PNG, GIF and WebP only, so any other picture Pillow reads is
converted once, when the book is loaded, and both outputs publish the copy: PNG keeps every
pixel (line art, scans, anything with transparency), JPEG at quality 92 suits photographs
(RGB or CMYK, no transparency, thousands of colours), whose PNG would be several times the
size. The orientation tag is applied, the colour profile kept; CMYK goes to sRGB through
its embedded profile when it has one (Pillow's plain formula otherwise).

A CMYK JPEG is a core type, but e-readers show it wrongly or not at all: the EPUB gets an
RGB copy and the print edition embeds the original, whose inks the printer wants.

Only the formats in :data:`CONVERTED` are opened: Pillow's rarer decoders (and EPS, which
runs Ghostscript) never see a manuscript's bytes.
"""

from __future__ import annotations

import io

from PIL import Image as PILImage
from PIL import ImageCms, ImageOps

from make_book.manuscript.prepared import Finding, Prepared

WEB_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png",
             "GIF": "image/gif", "WEBP": "image/webp"}  # MPO: a camera JPEG with extra views
CONVERTED = ("TIFF", "BMP", "DIB", "PPM", "PCX", "TGA", "ICO", "PSD", "AVIF", "JPEG2000",
             "QOI", "SGI", "DDS", "XBM")
OPENED = tuple(dict.fromkeys(("JPEG", "PNG", "GIF", "WEBP") + CONVERTED))
JPEG_QUALITY = 92
PHOTO_COLOURS = 4096  # distinct colours in a 256 px sample above which it is a photograph
EXPORT_HINT = "export it as PNG or JPEG yourself to choose how it is converted"


def a_format(fmt: str) -> str:
    """'a TIFF', 'an AVIF': the article as the letters are read out."""
    return f"{'an' if fmt[:1] in 'AEFHILMNORSX' else 'a'} {fmt}"


def _to_rgb(im: PILImage.Image) -> tuple[PILImage.Image, bool]:
    """An RGB(A) image from any mode; True when a CMYK profile was used."""
    if im.mode == "CMYK":
        icc = im.info.get("icc_profile")
        if icc:
            try:
                src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
                return ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"),
                                                 outputMode="RGB"), True
            except (ImageCms.PyCMSError, OSError, ValueError):
                pass
        return im.convert("RGB"), False
    has_alpha = "A" in im.getbands() or "transparency" in im.info
    return im.convert("RGBA" if has_alpha else "RGB"), False


def photographic(im: PILImage.Image) -> bool:
    """A photograph: colour, no transparency, and more colours than drawn art has."""
    if im.mode not in ("RGB", "CMYK", "YCbCr", "LAB") or "transparency" in im.info:
        return False
    sample = im if max(im.size) <= 256 else im.resize(
        (max(1, im.width * 256 // max(im.size)), max(1, im.height * 256 // max(im.size))),
        PILImage.Resampling.NEAREST)  # nearest: no blended colours that were not there
    return sample.convert("RGB").getcolors(PHOTO_COLOURS) is None


def _png_ready(im: PILImage.Image) -> PILImage.Image:
    if im.mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"):
        return im
    if im.mode == "I":
        return im.point(lambda v: v * (1 / 256)).convert("L") if im.getextrema()[1] > 255 \
            else im.convert("L")
    if im.mode == "F":
        return im.convert("L")
    if im.mode in ("La", "PA"):
        return im.convert("LA" if im.mode == "La" else "RGBA")
    return _to_rgb(im)[0]


def convert(im: PILImage.Image) -> Prepared:
    """A converted copy of an opened image in a non-core format (decodes it whole)."""
    fmt = im.format or "image"
    findings = []
    frames = getattr(im, "n_frames", 1)
    if frames > 1:
        findings.append(Finding("A022", f"is {a_format(fmt)} image with {frames} pages; only "
                                "the first is used", "save the page you want as its own file",
                                error=False))
    im.seek(0)
    im.load()
    icc = im.info.get("icc_profile")
    photo = photographic(im)
    oriented = ImageOps.exif_transpose(im) or im
    out = io.BytesIO()
    if photo:
        rgb, profiled = _to_rgb(oriented)
        rgb.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True,
                 **_profile(icc, oriented, rgb))
        media_type, suffix, what = "image/jpeg", ".jpg", "JPEG (a photograph)"
        if im.mode == "CMYK":
            what += (", its CMYK turned to sRGB by its colour profile" if profiled else
                     ", its CMYK turned to RGB without a colour profile")
    else:
        ready = _png_ready(oriented)
        ready.save(out, "PNG", optimize=False, **_profile(icc, oriented, ready))
        media_type, suffix, what = "image/png", ".png", "PNG"
    findings.append(Finding("A020", f"is {a_format(fmt)} image, which e-readers do not show: "
                            f"converted to {what} for the EPUB and the print edition",
                            EXPORT_HINT, error=False))
    return Prepared(media_type=media_type, width=oriented.width, height=oriented.height,
                    data=out.getvalue(), suffix=suffix, findings=tuple(findings))


def _profile(icc: bytes | None, source: PILImage.Image, out: PILImage.Image) -> dict:
    """The source's colour profile, kept only while the colour model is unchanged: a CMYK
    profile on converted RGB pixels would shift every colour."""
    # None, not absent: Pillow would otherwise write the profile ``convert`` copied along
    return {"icc_profile": icc if icc and out.mode == source.mode else None}


def screen_copy_of_cmyk_jpeg(im: PILImage.Image) -> Prepared:
    """A CMYK JPEG: an sRGB JPEG for the EPUB, the original for print."""
    im.load()
    rgb, profiled = _to_rgb(ImageOps.exif_transpose(im) or im)
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, icc_profile=None)
    how = "by its colour profile" if profiled else "without a colour profile"
    return Prepared(  # the size as shown: WeasyPrint applies the orientation too
        media_type="image/jpeg", width=rgb.width, height=rgb.height, data=out.getvalue(),
        print_original=True,
        findings=(Finding("A021", "is a CMYK JPEG, which e-readers show wrongly or not at "
                          f"all: the EPUB gets an sRGB copy (converted {how}); the print "
                          "edition embeds the CMYK original",
                          "supply an RGB JPEG to choose the screen colours yourself",
                          error=False),))
