"""Image files a book uses: found inside the book folder, probed, made publishable.

Image paths are relative to the book folder, as in Pandoc run from the book's root; a path
relative to the chapter's own folder is accepted too. JPEG, PNG, GIF and WebP are probed by
their header only, so a 30,000 x 30,000 decompression bomb is refused without allocating
its pixels; an SVG is checked and cleaned (``svg``); other rasters Pillow reads are
converted (``raster``); anything else is named by its first bytes (``file_kinds``).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree
from PIL import Image as PILImage

from make_book import plain_files
from make_book.errors import Diagnostics
from make_book.manuscript import file_kinds, raster, svg
from make_book.manuscript.prepared import Prepared, refused
from make_book.manuscript.svg import read_svg
from make_book.model import Image
from make_book.manuscript.tree import drop_keeping_tail

MAX_PIXELS = 80_000_000  # about a 300 dpi full bleed spread of a large art book
MAX_BYTES = 512 * 1024 * 1024  # an uncompressed TIFF of MAX_PIXELS in CMYK is 320 MB
SUFFIXES = {"image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",), "image/gif": (".gif",),
            "image/webp": (".webp",), "image/svg+xml": (".svg",)}
UNREADABLE_HINT = "export it as PNG or JPEG (SVG for a drawing) from the program that made it"


def inside(root: Path, candidate: Path) -> bool:
    try:
        candidate.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # outside; a loop of links; a name too long
        return False
    return True


def probe(path: Path, href: str, diagnostics: Diagnostics, where: Path,
          line: int | None) -> Image | None:
    """The image at ``path`` as the book publishes it, or None with diagnostics. Each file
    is read (and converted) once per build; what it gave is reported at every use."""
    try:
        stat = plain_files.check_regular(path, MAX_BYTES)
    except OSError as exc:
        diagnostics.error("A004", f"image {href} cannot be read: {exc.strerror}", where, line)
        return None
    prepared = read(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    for finding in prepared.findings:
        report = diagnostics.error if finding.error else diagnostics.warning
        report(finding.code, f"image {href} {finding.message}", where, line, hint=finding.hint)
    if prepared.refused:
        return None
    if prepared.suffix is None and path.suffix.lower() not in SUFFIXES[prepared.media_type]:
        kind = prepared.media_type.split("/")[1].split("+")[0].upper()
        named = f"named {path.suffix}" if path.suffix else "named without a suffix"
        diagnostics.error("A007", f"image {href} is {kind} but {named}", where, line,
                          hint=f"rename it to {path.stem}{SUFFIXES[prepared.media_type][0]}")
        return None
    published = href if prepared.suffix is None else converted_href(path, href, prepared.suffix)
    return Image(source=path.resolve(), href=published, media_type=prepared.media_type,
                 width=prepared.width, height=prepared.height, data=prepared.data,
                 vector=prepared.vector, title=prepared.title,
                 print_original=prepared.print_original)


def converted_href(path: Path, href: str, suffix: str) -> str:
    """``images/map.tif`` -> ``images/map.png``, or ``images/map-tif.png`` when another file
    of the folder has that stem (a real ``map.png``, or a ``map.bmp`` converted too)."""
    folder, _, _name = href.rpartition("/")
    prefix = f"{folder}/" if folder else ""
    try:
        twins = [p for p in path.parent.iterdir() if p.stem == path.stem and p.name != path.name]
    except OSError:
        twins = []
    if not twins:
        return f"{prefix}{path.stem}{suffix}"
    return f"{prefix}{path.stem}-{path.suffix.lstrip('.').lower()}{suffix}"


@functools.lru_cache(maxsize=32)
def read(path: str, mtime_ns: int, size: int) -> Prepared:
    """Read one image file (keyed by path, time and size, so a changed file is read
    again): the probe of a web image, a converted raster or a cleaned SVG."""
    file = Path(path)
    try:
        with file.open("rb") as fh:
            head = fh.read(file_kinds.HEAD_BYTES)
            if file_kinds.is_markup(head):
                return read_svg(head + fh.read(svg.MAX_BYTES + 1 - len(head)))
    except OSError as exc:
        return refused("A004", f"cannot be read: {exc.strerror}")
    return _read_raster(file, head)


def _read_raster(file: Path, head: bytes) -> Prepared:
    fmt = ""
    too_large = ("A005", "downscale it: 300 dpi at the printed size is enough")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that: refuse instead
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            im = PILImage.open(file, formats=raster.OPENED)
            with im:
                fmt = im.format or ""
                width, height = im.size
                if width * height > MAX_PIXELS:
                    return refused(too_large[0], f"is {width} x {height} pixels, over the "
                                   f"limit of {MAX_PIXELS:,} pixels", too_large[1])
                if fmt not in raster.WEB_TYPES:
                    return raster.convert(im)
                cmyk = fmt in ("JPEG", "MPO") and im.mode == "CMYK"
                im.verify()  # checksums and structure, without decoding all pixels
            if cmyk:
                with PILImage.open(file, formats=("JPEG",)) as again:
                    return raster.screen_copy_of_cmyk_jpeg(again)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        return refused(too_large[0], "is too large to open safely", too_large[1])
    except PILImage.UnidentifiedImageError:
        what = file_kinds.describe(head)
        if what == "empty":
            return refused("A004", "cannot be read: the file is empty", UNREADABLE_HINT)
        return refused("A004", f"cannot be read: it is {what}", UNREADABLE_HINT)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        return refused("A004", f"cannot be read: a damaged {fmt or 'image'} file ({exc})",
                       "export it again from an image editor")
    return Prepared(media_type=raster.WEB_TYPES[fmt], width=width, height=height)


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
    if "\0" in rel:
        diagnostics.error("A004", f"image path {src} cannot be read: it holds a NUL "
                          "character", chapter, line)
        return None
    if Path(rel).is_absolute():
        diagnostics.error("A003", f"image path {src} is absolute", chapter, line,
                          hint="use a path relative to the book folder, e.g. images/x.jpg")
        return None
    for base in (book_root, chapter.parent):
        candidate = base / rel
        try:
            plain_files.resolved(candidate)  # a loop of links, a name too long
            exists = candidate.exists()
        except OSError as exc:
            diagnostics.error("A004", f"image {src} cannot be read: {exc.strerror}", chapter,
                              line)
            return None
        if exists:
            if not inside(book_root, candidate):
                diagnostics.error("A003", f"image path {src} leaves the book folder", chapter,
                                  line)
                return None
            try:  # a FIFO or a device is never opened; a folder is no image
                plain_files.check_regular(candidate, MAX_BYTES)
            except OSError as exc:
                diagnostics.error("A004", f"image {src} cannot be read: {exc.strerror}",
                                  chapter, line)
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
    return collect_all((section,), chapter, book_root, line_of, diagnostics)


def collect_all(roots: Iterable[etree._Element], chapter: Path, book_root: Path, line_of,
                diagnostics: Diagnostics) -> list[Image]:
    """:func:`collect` over several trees of one chapter (its body and its notes), each
    image file probed once."""
    found: dict[str, Image] = {}
    for img in (img for root in roots for img in root.iter("img")):
        src = img.get("src", "")
        line = line_of(src) if src else None
        located = resolve(src, chapter, book_root, diagnostics, line) if src else None
        if located is None:
            drop_keeping_tail(img)
            continue
        path, href = located
        image = found.get(href) or probe(path, href, diagnostics, chapter, line)
        if image is None:
            drop_keeping_tail(img)
            continue
        found[href] = image
        img.set("src", image.href)
        if image.title and not (img.get("alt") or "").strip():
            img.set("alt", image.title)  # the drawing's own <title> describes it
        img.set("data-width", str(image.width))
        img.set("data-height", str(image.height))
    return list(found.values())
