"""What a file is, from its first bytes: for messages about files that are not images.

An editor who drops a PDF, a Word file or a saved web page into ``images/`` needs to hear
"images/fig.png is a PDF document", not "cannot identify image file". The names here are
only ever shown to people; :func:`is_markup` only picks the files the SVG reader tries.
"""

from __future__ import annotations

import re

HEAD_BYTES = 4096  # enough for every signature below and an XML prolog with a DOCTYPE

# (offset, magic, description), checked in order
SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "a PDF document"),
    (0, b"%!PS-Adobe-3.0 EPSF", "an EPS file"),
    (0, b"\xc5\xd0\xd3\xc6", "an EPS file"),
    (0, b"%!", "a PostScript file"),
    (0, b"PK\x03\x04", "a ZIP archive (a Word, OpenDocument or other Office file is one)"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Microsoft Office document"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"\x1f\x8b", "a gzip archive (a compressed .svgz drawing is one)"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"BZh", "a bzip2 archive"),
    (0, b"\xfd7zXZ\x00", "an xz archive"),
    (0, b"\xff\x0a", "a JPEG XL image"),
    (0, b"\x00\x00\x00\x0cJXL ", "a JPEG XL image"),
    (4, b"ftypheic", "a HEIC photo"),
    (4, b"ftypheix", "a HEIC photo"),
    (4, b"ftypmif1", "a HEIF image"),
    (4, b"ftypavif", "an AVIF image"),
    (4, b"ftypqt", "a QuickTime movie"),
    (4, b"ftyp", "an MP4 or other ISO media file"),
    (0, b"\x7fELF", "a program (ELF executable)"),
    (0, b"MZ", "a Windows program"),
    (0, b"OggS", "an Ogg audio or video file"),
    (0, b"ID3", "an MP3 audio file"),
    (0, b"RIFF", "a RIFF file (WAV audio or AVI video)"),
    (0, b"wOFF", "a WOFF font"),
    (0, b"wOF2", "a WOFF2 font"),
    (0, b"OTTO", "an OpenType font"),
    (0, b"\x00\x01\x00\x00\x00", "a TrueType font"),
)

_BOM = b"\xef\xbb\xbf"
# an XML prolog: declaration, comments, processing instructions and a DOCTYPE, then a tag
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*)*(?:<!DOCTYPE\b(?:[^\[>]|\[.*?\])*>\s*"
                     rb"(?:<!--.*?-->\s*|<\?.*?\?>\s*)*)?<([A-Za-z_][\w.:-]*)", re.S)


def first_element(head: bytes) -> str | None:
    """The name of the first element of an XML or HTML text, or None when it is not one."""
    text = head[len(_BOM):] if head.startswith(_BOM) else head
    m = _PROLOG.match(text)
    return m.group(1).decode("ascii", "replace") if m else None


def is_markup(head: bytes) -> bool:
    """Whether the first bytes start an XML or HTML text (after a BOM and white space): an
    SVG candidate, for the SVG reader to accept or to name by its root element."""
    return head.lstrip(_BOM).lstrip().startswith(b"<") and not is_html(head)


def is_html(head: bytes) -> bool:
    name = first_element(head)
    return (re.match(rb"\s*<!doctype\s+html", head.lstrip(_BOM), re.I) is not None
            or (name is not None and name.lower() == "html"))


def describe(head: bytes) -> str:
    """A short phrase naming what the bytes are: 'empty', 'a PDF document', 'an HTML
    page', 'a text file'...; the caller has already ruled out the images it reads."""
    if not head:
        return "empty"
    for offset, magic, what in SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            return what
    if is_html(head):
        return "an HTML page"
    name = first_element(head)
    if name is not None:
        return f"an XML document whose root element is <{name}>, not <svg>"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # a multi-byte character cut at the end of the head is still text
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is not None and text.strip() and all(c.isprintable() or c in "\t\r\n" for c in text):
        return "a text file"
    return "not an image format make-book reads"
