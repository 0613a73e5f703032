"""URLs a stylesheet would load, read with tinycss2 (WeasyPrint's own CSS tokenizer), and
which of them an output may keep.

A reading system loads what the EPUB's CSS names, so a remote URL there is a tracking
pixel or a font from a server of the author's choosing. Looking for ``url(http`` in the
text misses the forms a parser accepts: escapes (``\\75 rl(``, ``"http\\3a //"``),
``image-set("...")`` with bare strings, ``src()``, ``@import "..."``, and hosts written
``/\\host`` or ``//host``, which a URL parser resolves against the network. So the CSS is
tokenized (tinycss2 unescapes), every URL-bearing value is collected, and each is judged
after the URL parser's own clean-up (tabs and newlines dropped, ``\\`` read as ``/``):
only a relative path inside the package, or a ``data:`` font or raster image, is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tinycss2

URL_FUNCTIONS = frozenset({"url", "src"})
# functions whose bare string arguments are image URLs
IMAGE_FUNCTIONS = frozenset({"image-set", "-webkit-image-set", "image", "cross-fade",
                             "-webkit-cross-fade"})
DATA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/avif",
              "font/", "application/font-", "application/x-font-", "application/vnd.ms-fontobject")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_TAB_NEWLINE_RE = re.compile(r"[\t\n\r]")


def _walk(tokens, in_image: bool = False) -> Iterator[str]:
    for token in tokens or ():
        kind = token.type
        if kind == "url" or (kind == "string" and in_image):
            yield token.value
        elif kind == "function":
            if token.lower_name in URL_FUNCTIONS:
                yield from (a.value for a in token.arguments if a.type == "string")
            yield from _walk(token.arguments, in_image or token.lower_name in IMAGE_FUNCTIONS)
        elif kind == "at-rule":
            keyword = token.lower_at_keyword
            if keyword == "import":
                yield from (a.value for a in token.prelude if a.type == "string")
            if keyword != "namespace":  # a namespace name is an identifier, never loaded
                yield from _walk(token.prelude, in_image)
            yield from _walk(token.content, in_image)
        elif kind == "qualified-rule":  # a url() in a selector loads nothing, but is no
            yield from _walk(token.prelude, in_image)  # place for one: judged all the same
            yield from _walk(token.content, in_image)
        elif kind in ("() block", "[] block", "{} block"):
            yield from _walk(token.content, in_image)


def css_urls(text: str) -> list[str]:
    """Every URL the stylesheet ``text`` would load, unescaped, in order, once each."""
    return list(dict.fromkeys(_walk(tinycss2.parse_stylesheet(text))))


def declaration_urls(text: str) -> list[str]:
    """The same for a ``style`` attribute's declarations."""
    return list(dict.fromkeys(_walk(tinycss2.parse_component_value_list(text))))


def normalized(url: str) -> str:
    """``url`` as a URL parser reads it: outer spaces and controls stripped, tabs and
    newlines dropped, backslashes as slashes."""
    return _TAB_NEWLINE_RE.sub("", url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b"
                                             "\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
                                             "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
                               ).replace("\\", "/")


def refused(url: str, *, local_schemes: tuple[str, ...] = ()) -> str | None:
    """Why a resource at ``url`` may not be loaded by a reader, or None when it may: a
    relative path inside the package, a ``data:`` font or raster image, or a URL with one
    of ``local_schemes`` (``file`` and ``data`` for a print document: WeasyPrint reads them
    through the confined, bounded fetcher)."""
    clean = normalized(url)
    if clean.startswith("//"):
        return "a remote resource"
    match = _SCHEME_RE.match(clean)
    if match is None:
        return None
    scheme = match.group(1).lower()
    if scheme in local_schemes:
        return None
    if scheme == "data":
        media = clean[5:].split(",", 1)[0].split(";", 1)[0].strip().lower()
        return None if media.startswith(DATA_TYPES) else f"a data: URL of type {media or '?'}"
    if scheme in ("http", "https", "ftp", "ws", "wss"):
        return "a remote resource"
    return f"a {scheme}: URL"


def remote(url: str) -> bool:
    """Whether a reader would fetch ``url`` from the network."""
    return refused(url) == "a remote resource"


def report_refused(text: str, where, diagnostics, code: str = "E010") -> None:
    """An error per URL of the EPUB stylesheet ``text`` (the file ``where``) that a
    reader may not load."""
    for url in css_urls(text):
        reason = refused(url)
        if reason is not None:
            shown = url if len(url) <= 80 else url[:79] + "…"
            diagnostics.error(code, f"stylesheet loads {shown}: {reason}; an EPUB keeps "
                              "every resource inside it", where,
                              hint="put the file in the layout folder and use a relative "
                                   "path")
