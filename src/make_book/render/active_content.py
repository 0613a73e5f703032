"""The last check of what a reader (or WeasyPrint) gets: no script, no remote resource.

The manuscript's raw HTML is sanitized on the way in (markup/sanitize.py), but the
finished documents are also made of the layout's templates, and a book's own template
override comes from outside the press. So whatever the templates say, every XHTML document
of the EPUB (and the print HTML before WeasyPrint sees it) is parsed and refused (``E050``,
an error: the artifact is not written) when it has:

- an element that runs or embeds code or another document, or sends data (script,
  iframe, object, embed, form controls, base, a meta refresh...);
- an event-handler attribute (``on*``) or a ``javascript:``-like link;
- an ``<?xml-stylesheet?>`` instruction, before the root element or inside it (a browser
  engine loads its stylesheet and runs an XSLT one, which can write script);
- a resource (``src``, ``srcset``, ``poster``, ``data``, ``<link href>``, SVG ``href``,
  CSS in ``style`` and ``<style>``) that a reader would fetch: in an EPUB anything but a
  relative path or a ``data:`` font or raster image; in print anything remote (``file:``
  and ``data:`` URLs are left to the confined, bounded fetcher). The covers' HTML is
  checked like the print interior's.

Links to web pages (``<a href="https://...">``) are allowed: a reader follows them only
when asked.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from make_book.errors import Diagnostics
from make_book.layouts.css_urls import css_urls, declaration_urls, normalized, refused

ACTIVE = "E050"
ACTIVE_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "select", "textarea", "base", "portal", "fencedframe", "foreignobject",
    "handler", "listener"})
RESOURCE_ATTRIBUTES = frozenset({"src", "srcset", "poster", "data", "background",
                                 "lowsrc", "dynsrc", "action", "formaction", "manifest",
                                 "ping", "codebase", "archive", "classid"})
LINK_SCHEMES_REFUSED = ("javascript", "vbscript", "data", "file", "livescript")
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
PRINT_SCHEMES = ("file", "data")  # WeasyPrint loads them through the confined fetcher
MAX_REPORTED = 20  # per document: enough to find the template, not a flood


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def findings(root, *, local_schemes: tuple[str, ...] = ()) -> list[str]:
    """What in the parsed document ``root`` a reader must never get, described."""
    found: list[str] = []

    def resource(url: str, what: str) -> None:
        reason = refused(url, local_schemes=local_schemes)
        if reason is not None:
            shown = url if len(url) <= 80 else url[:79] + "…"
            found.append(f"{what} loads {shown} ({reason})")

    for pi in _processing_instructions(root):
        if pi.target.strip().lower() == "xml-stylesheet":  # a reader loads (and runs XSLT
            found.append("<?xml-stylesheet?>")           # of) it, wherever it points
    for el in root.iter():
        name = _local(el.tag)
        if not name:
            continue  # comments, processing instructions
        if name in ACTIVE_ELEMENTS:
            found.append(f"<{name}>")
            continue
        if name == "meta" and (el.get("http-equiv") or "").strip().lower() in (
                "refresh", "set-cookie", "content-security-policy"):
            found.append(f"<meta http-equiv=\"{el.get('http-equiv')}\">")
        for attr, value in el.attrib.items():
            key = _local(attr) if attr != _XLINK_HREF else "xlink:href"
            if key.startswith("on"):
                found.append(f"<{name} {key}>: an event handler")
            elif key in RESOURCE_ATTRIBUTES:
                urls = _srcset_urls(value) if key in ("srcset", "ping") else [value]
                for url in urls:
                    resource(url, f"<{name} {key}>")
            elif key == "style":
                for url in declaration_urls(value):
                    resource(url, f"<{name} style>")
            elif key in ("href", "xlink:href"):
                if name in ("link", "image", "use", "feimage", "script", "img"):
                    resource(value, f"<{name} {key}>")
                else:
                    scheme = _SCHEME_RE.match(normalized(value))
                    if scheme and scheme.group(1).lower() in LINK_SCHEMES_REFUSED:
                        found.append(f"<{name} {key}> is a {scheme.group(1).lower()}: link")
        if name == "style" and el.text:
            for url in css_urls(el.text):
                resource(url, "<style>")
    return found


def _processing_instructions(root):
    """The document's processing instructions: those before the root element (where a
    browser engine honours ``<?xml-stylesheet?>``) and those inside it."""
    yield from (n for n in root.itersiblings(preceding=True)
                if isinstance(n, etree._ProcessingInstruction))
    yield from root.iter(etree.ProcessingInstruction)


def _report(items: list[str], where: Path | None, what: str, diagnostics: Diagnostics,
            ) -> None:
    for item in items[:MAX_REPORTED]:
        diagnostics.error(ACTIVE, f"{what} has {item}: no output may carry active content "
                          "or remote resources", where,
                          hint="a template of the layout wrote it: remove it there")
    if len(items) > MAX_REPORTED:
        diagnostics.error(ACTIVE, f"{what}: {len(items) - MAX_REPORTED} more like these",
                          where)


def check_epub(data: bytes, diagnostics: Diagnostics, where: Path | None) -> bool:
    """Check every XHTML, SVG and NCX document of the finished EPUB ``data``; False
    (and ``E050`` errors) when any has active content or a remote resource."""
    clean = True
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=True)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if not name.endswith((".xhtml", ".html", ".htm", ".svg", ".ncx", ".opf")):
                continue
            try:
                root = etree.fromstring(package.read(name), parser)
            except etree.XMLSyntaxError as exc:
                diagnostics.error(ACTIVE, f"the EPUB's {name} is not well-formed XML: {exc}",
                                  where)
                clean = False
                continue
            items = findings(root)
            if items:
                _report(items, where, f"the EPUB's {name}", diagnostics)
                clean = False
        for name in package.namelist():
            if name.endswith(".css"):
                for url in css_urls(package.read(name).decode("utf-8", "replace")):
                    reason = refused(url)
                    if reason is not None:
                        _report([f"a stylesheet url {url[:80]} ({reason})"], where,
                                f"the EPUB's {name}", diagnostics)
                        clean = False
    return clean


def check_print_html(html: str, diagnostics: Diagnostics, where: Path | None,
                     what: str = "the print document") -> bool:
    """Check a print document (the interior, a cover) before WeasyPrint reads it: ``file:``
    and ``data:`` URLs are left to the confined fetcher, anything else that loads or runs
    is ``E050``."""
    root = etree.parse(io.StringIO(html), etree.HTMLParser(no_network=True,
                                                          huge_tree=True)).getroot()
    if root is None:
        return True
    items = findings(root, local_schemes=PRINT_SCHEMES)
    if items:
        _report(items, where, what, diagnostics)
    return not items
