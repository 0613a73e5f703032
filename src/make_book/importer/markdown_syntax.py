"""Small pieces of Pandoc Markdown spelled for one element: a code span with enough
backticks, an image's alt text and attributes, an indented block, and what an element's
classes and language say (small caps, ``lang``). Split from
:mod:`make_book.importer.markdown_writer`, which walks the chapter.
"""

from __future__ import annotations

import re

from lxml import etree

from make_book.importer.markdown_escape import collapse_spaces

_LANG_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


def _classes(el: etree._Element) -> set[str]:
    return set((el.get("class") or "").split())


def _is_small_caps(el: etree._Element) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "smallcaps" in _classes(el) or "font-variant:small-caps" in style


def _lang(el: etree._Element) -> str | None:
    value = el.get("lang") or el.get("{http://www.w3.org/XML/1998/namespace}lang")
    return value if value and _LANG_TAG.match(value) else None


def _tag(el) -> str:
    return el.tag if isinstance(el.tag, str) else ""


def _code_span(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _alt_attribute(alt: str) -> str:
    if not alt:
        return ""
    escaped = alt.replace("\\", "\\\\").replace('"', '\\"')
    return f'{{alt="{escaped}"}}'


def _lone_image(img: etree._Element) -> str:
    """An image alone in its paragraph, without a caption: Pandoc makes a figure of
    ``![text](src)`` with the text as its caption, so the description goes in ``alt=``."""
    src = img.get("src")
    alt = collapse_spaces(img.get("alt") or "").strip()
    return f"![]({src}){_alt_attribute(alt)}" if src else ""


def _indent(text: str, width: int) -> str:
    return "\n".join((" " * width + line) if line else "" for line in text.split("\n"))
