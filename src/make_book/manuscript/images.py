"""Image files a book uses: found inside the book folder, probed (never decoded whole).

Image paths are relative to the book folder, as in Pandoc run from the book's root; a path
relative to the chapter's own folder is accepted too. The probe reads the header only, so a
30,000 x 30,000 decompression bomb is refused without allocating its pixels.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree
from PIL import Image as PILImage

from make_book.errors import Diagnostics
from make_book.model import Image

MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
               "WEBP": "image/webp"}
EPUB_CORE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
MAX_PIXELS = 80_000_000  # about a 300 dpi full bleed spread of a large art book


def inside(root: Path, candidate: Path) -> bool:
    try:
        candidate.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def probe(path: Path, href: str, diagnostics: Diagnostics, where: Path,
          line: int | None) -> Image | None:
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that: refuse instead
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            im = PILImage.open(path)
        with im:
            fmt = im.format
            width, height = im.size
            if width * height > MAX_PIXELS:
                diagnostics.error("A005", f"image {href} is {width} x {height} pixels, over the "
                                  f"limit of {MAX_PIXELS:,} pixels", where, line,
                                  hint="downscale it: 300 dpi at the printed size is enough")
                return None
            im.verify()  # checksums and structure, without decoding all pixels
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        diagnostics.error("A005", f"image {href} is too large to open safely", where, line,
                          hint="downscale it: 300 dpi at the printed size is enough")
        return None
    except PILImage.UnidentifiedImageError:
        diagnostics.error("A004", f"image {href} cannot be read: not a JPEG, PNG, GIF or WebP "
                          "image, or damaged at the start", where, line,
                          hint="export it again from an image editor")
        return None
    except (OSError, SyntaxError, ValueError) as exc:
        diagnostics.error("A004", f"image {href} cannot be read: {exc}", where, line)
        return None
    media_type = MEDIA_TYPES.get(fmt or "")
    if media_type not in EPUB_CORE_TYPES:
        diagnostics.error("A006", f"image {href} is {fmt or 'an unknown format'}; use JPEG or "
                          "PNG", where, line)
        return None
    suffix_ok = {"image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",),
                 "image/gif": (".gif",), "image/webp": (".webp",)}[media_type]
    if path.suffix.lower() not in suffix_ok:
        diagnostics.error("A007", f"image {href} is {fmt} but named {path.suffix}", where, line)
        return None
    return Image(source=path.resolve(), href=href, media_type=media_type,
                 width=width, height=height)


def resolve(src: str, chapter: Path, book_root: Path, diagnostics: Diagnostics,
            line: int | None) -> tuple[Path, str] | None:
    """``src`` -> (file on disk, href inside the book) or a diagnostic."""
    parts = urlsplit(src)
    if parts.scheme in ("http", "https", "ftp"):
        diagnostics.warning("A001", f"remote image {src} is never fetched", chapter, line,
                            hint="download it into the book's images/ folder")
        return None
    if parts.scheme or parts.netloc:
        diagnostics.error("A002", f"image source {src} is not a file in the book", chapter, line)
        return None
    rel = unquote(parts.path)
    if Path(rel).is_absolute():
        diagnostics.error("A003", f"image path {src} is absolute", chapter, line,
                          hint="use a path relative to the book folder, e.g. images/x.jpg")
        return None
    for base in (book_root, chapter.parent):
        candidate = base / rel
        if candidate.is_file():
            if not inside(book_root, candidate):
                diagnostics.error("A003", f"image path {src} leaves the book folder", chapter,
                                  line)
                return None
            return candidate, candidate.resolve().relative_to(book_root.resolve()).as_posix()
    if not inside(book_root, book_root / rel):
        diagnostics.error("A003", f"image path {src} leaves the book folder", chapter, line)
    else:
        diagnostics.error("A008", f"image {src} not found", chapter, line)
    return None


def collect(section: etree._Element, chapter: Path, book_root: Path, line_of,
            diagnostics: Diagnostics) -> list[Image]:
    """Probe every ``img`` and rewrite its ``src`` to the book-relative href."""
    found: dict[str, Image] = {}
    for img in section.iter("img"):
        src = img.get("src", "")
        line = line_of(src) if src else None
        located = resolve(src, chapter, book_root, diagnostics, line) if src else None
        if located is None:
            _unwrap(img)
            continue
        path, href = located
        image = found.get(href) or probe(path, href, diagnostics, chapter, line)
        if image is None:
            _unwrap(img)
            continue
        found[href] = image
        img.set("src", href)
        img.set("data-width", str(image.width))
        img.set("data-height", str(image.height))
    return list(found.values())


def _unwrap(img: etree._Element) -> None:
    parent = img.getparent()
    if parent is None:
        return
    prev = img.getprevious()
    if img.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + img.tail
        else:
            parent.text = (parent.text or "") + img.tail
    parent.remove(img)
