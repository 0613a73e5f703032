"""Pandoc's inline syntax for Python-Markdown, read as the Pandoc User's Guide defines it.

- ``backslash_escapes``: any ASCII punctuation may be escaped; ``\\ `` is a no-break space
- ``superscript``/``subscript`` ``^x^``, ``~x~`` (no unescaped spaces inside) and
  ``strikeout`` ``~~x~~``: pymdownx's caret and tilde with Pandoc's no-space rule
  (configured in :func:`make_book.manuscript.markdown.new_parser`)
- ``inline_notes`` ``^[text]``: a ``span.mb-inline-note`` holding the parsed text, which
  :func:`make_book.manuscript.chapter.extract_notes` numbers with the ``[^label]`` notes
- ``inline_code_attributes`` ``\\`x\\`{.lang #id}`` and ``raw_attribute``
  ``\\`<b>x</b>\\`{=html}``: raw HTML (checked later by the sanitizer like any raw HTML);
  raw text for another format is dropped, as Pandoc's HTML writer drops it, and reported
- ``citations`` ``[see @doe, p. 3]``, ``@doe [p. 3]``: not resolved yet; kept as written
  in a ``span.citation`` as Pandoc writes them without a bibliography, and reported by
  :mod:`make_book.manuscript.leftovers`
- ``attributes`` ``key=value``: what the sanitizer does not allow on the element becomes
  ``data-key``, and image sizes become ``width``/``height`` or a style, as Pandoc's HTML5
  writer does, so the EPUB stays valid

Each processor records what it had to drop in ``md.mb_reports`` (see :class:`Report`);
the chapter loader turns those into diagnostics with the source line.
"""

from __future__ import annotations

import re
import typing
import xml.etree.ElementTree as ET

from markdown import util
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.inlinepatterns import (
    AUTOLINK_RE, AUTOMAIL_RE, AutolinkInlineProcessor, InlineProcessor)
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from make_book.manuscript.md_scan import Pairs, escaped
from make_book.manuscript.sanitize import ELEMENT_ATTRIBUTES, GLOBAL_ATTRIBUTES

NBSP = "\u00a0"


class Report(typing.NamedTuple):
    """Something the Markdown reader dropped or could not read: ``snippet`` is source text
    that finds its line."""

    code: str
    message: str
    snippet: str
    hint: str | None = None


def reports(md) -> list[Report]:
    """The reports list of a parser (created on first use, cleared by ``md.reset()``)."""
    if not hasattr(md, "mb_reports"):
        md.mb_reports = []
    return md.mb_reports


# --------------------------------------------------------------------------- escapes


class PandocEscapeProcessor(InlineProcessor):
    """Pandoc's ``all_symbols_escapable``: a backslash before any non-alphanumeric character
    makes it literal; before a space it is a no-break space. (Python-Markdown escapes only
    its own markup characters and would leave ``\\$`` or ``\\^`` as typed.)"""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        char = m.group(1)
        if char == " ":
            return NBSP, m.start(0), m.end(0)
        if char.isalnum() or char.isspace():
            return None, None, None
        return f"{util.STX}{ord(char)}{util.ETX}", m.start(0), m.end(0)


# --------------------------------------------------------------------------- notes


SUPERSCRIPT_RE = re.compile(r"\^(?:\\.|[^\s^\\])+\^")


class InlineNoteProcessor(InlineProcessor):
    r"""``^[text]``: runs after code spans and escapes, so neither a ``^[`` in code nor an
    escaped ``\]`` counts; a ``^[`` that begins a superscript (``^[a](#b)^``, no space
    inside) is left to the superscript, which Pandoc tries first."""

    def __init__(self, pattern, md):
        super().__init__(pattern, md)
        self.brackets = Pairs("[", "]")

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        start = m.start(0)
        if SUPERSCRIPT_RE.match(data, start):
            return None, None, None
        close = self.brackets.match(data, start + 1)
        if close is None:
            return None, None, None
        el = ET.Element("span", {"class": "mb-inline-note"})
        el.text = data[start + 2:close]
        return el, start, close + 1


# --------------------------------------------------------------------------- spans, links

_ATTRIBUTE_RE = re.compile(
    r"\s*(?:(?:#[^\s{}#.]+|\.[^\s{}#.]+|[A-Za-z_][\w.:-]*=(?:\"[^\"]*\"|'[^']*'|[^\s\"'{}]+))"
    r"\s*)*\Z")


def is_attribute_list(spec: str) -> bool:
    """Whether ``spec`` (inside the braces) is Pandoc's attribute syntax: ``#id``,
    ``.class`` and ``key=value`` only; a bare word makes the braces text, as in Pandoc."""
    return _ATTRIBUTE_RE.match(spec) is not None


# Classes Pandoc reads as their own inline element, not a span (its ``mark`` extension and
# the underline class): ``[text]{.mark}`` -> ``<mark>``, ``[text]{.underline}`` -> ``<u>``.
SPAN_CLASS_TAGS = {"mark": "mark", "underline": "u"}


def span_tag(el: ET.Element) -> None:
    """Give a bracketed span the element Pandoc makes of its first special class."""
    classes = (el.get("class") or "").split()
    for cls in classes:
        if cls in SPAN_CLASS_TAGS:
            el.tag = SPAN_CLASS_TAGS[cls]
            rest = [c for c in classes if c != cls]
            if rest:
                el.set("class", " ".join(rest))
            else:
                del el.attrib["class"]
            return


class UriAutolinkProcessor(AutolinkInlineProcessor):
    """``<https://...>``: Pandoc marks an automatic link with the class ``uri``."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        el, start, end = super().handleMatch(m, data)
        el.set("class", "uri")
        return el, start, end


class EmailAutolinkProcessor(InlineProcessor):
    """``<name@example.org>``: a plain ``mailto:`` link with the class ``email``, as Pandoc
    writes it (Python-Markdown hides the address in character references)."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        address = m.group(1)
        el = ET.Element("a", {"href": "mailto:" + address, "class": "email"})
        el.text = util.AtomicString(address)
        return el, m.start(0), m.end(0)


# --------------------------------------------------------------------------- code, raw

HTML_FORMATS = frozenset({"html", "html5", "html4", "xhtml"})  # Pandoc's HTML writers' names


class AttributedCodeProcessor(InlineProcessor):
    """A code span followed by ``{attributes}`` or ``{=format}`` (Pandoc's
    inline_code_attributes and raw_attribute); a plain code span is left to ``backtick``.
    The span ends at the first run of as many backticks (as ``backtick`` reads it)."""

    PATTERN = r"(?<![\\`])(`+)(?!`)"

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        ticks = m.group(1)
        closer = re.compile(r"(?<!`)" + ticks + r"(?!`)").search(data, m.end(0))
        if closer is None or not data.startswith("{", closer.end()):
            return None, None, None
        brace = data.find("}", closer.end())
        if brace < 0 or "\n" in data[closer.end():brace]:
            return None, None, None
        end = brace + 1
        code, spec = data[m.end(0):closer.start()], data[closer.end() + 1:brace].strip()
        if len(code) > 1 and code[0] == code[-1] == " " and code.strip():
            code = code[1:-1]  # one space each side lets the code start or end with `
        if spec.startswith("="):
            fmt = spec[1:].strip().lower()
            if fmt in HTML_FORMATS:
                return self.md.htmlStash.store(code), m.start(0), end
            reports(self.md).append(Report(
                "C102", f"raw {fmt} text dropped: only raw HTML reaches the book",
                data[m.start(0):end][:60], "write it in Markdown or HTML, or remove it"))
            return "", m.start(0), end
        attrs, remainder = get_attrs_and_remainder(spec)
        if remainder.strip() or not attrs or not is_attribute_list(spec):
            return None, None, None
        el = ET.Element("code")
        el.text = util.AtomicString(util.code_escape(code))
        apply_attributes(el, attrs)
        return el, m.start(0), end


RAW_FENCE_RE = re.compile(
    r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*\{\s*=(?P<fmt>[\w-]+)\s*\}\s*$")
CODE_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def raw_blocks(md, lines: list[str]) -> list[str]:
    """Fenced ``{=format}`` blocks: HTML is stashed as a raw block (the sanitizer checks it
    later); any other format is dropped, with a report. Other code fences are skipped whole
    so a raw-looking fence inside them stays code."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        raw = RAW_FENCE_RE.match(line)
        fence = CODE_FENCE_RE.match(line)
        if not raw and not fence:
            out.append(line)
            i += 1
            continue
        marker = (raw.group("fence") if raw else fence.group(1))
        end = next((j for j in range(i + 1, len(lines))
                    if re.match(r" {0,3}" + re.escape(marker[0]) + "{%d,}\\s*$" % len(marker),
                                lines[j])), len(lines))
        if not raw:
            out.extend(lines[i:end + 1])
            i = end + 1
            continue
        body = "\n".join(lines[i + 1:end])
        fmt = raw.group("fmt").lower()
        if fmt in HTML_FORMATS:
            # the empty comment makes Python-Markdown place the HTML as a block, not in a
            # <p>, whatever its first tag (Pandoc copies it as is); the sanitizer drops it
            out.extend(["", md.htmlStash.store("<!---->" + body), ""])
        else:
            reports(md).append(Report(
                "C102", f"raw {fmt} block dropped: only raw HTML reaches the book",
                line.strip(), "write it in Markdown or HTML, or remove it"))
            out.append("")
        i = end + 1
    return out


# Pandoc's raw_tex: a TeX command (letters after a backslash, with its [options] and
# {arguments}) is raw LaTeX, which its HTML writer drops.
RAW_TEX_RE = r"\\[A-Za-z]+\*?(?:\[[^\]\n]*\]|\{(?:[^{}\n]|\{[^{}\n]*\})*\})*"


class RawTexProcessor(InlineProcessor):
    r"""Drops ``\command{...}`` as Pandoc does, with a report: printed as typed it would be
    a stray backslash, and silently dropped text is worse."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        if escaped(data, m.start(0)):
            return None, None, None
        reports(self.md).append(Report(
            "C103", f"TeX command {m.group(0)[:40]} dropped, as Pandoc drops raw TeX from "
            "HTML", m.group(0)[:40], "to print the backslash, escape it: \\\\"))
        return "", m.start(0), m.end(0)


class RawBlockPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return raw_blocks(self.md, lines)


# --------------------------------------------------------------------------- citations

# Pandoc: a key starts with a letter, digit or _, and may hold internal punctuation
# (:.#$%&-+?<>~/) between alphanumerics; @{...} keys hold anything but braces.
CITE_KEY = r"(?:[^\W]|_)(?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*|\{[^{}\n]+\}"
KEY_RE = re.compile(r"(?<![\w@])-?@(" + CITE_KEY + ")")
IN_TEXT_RE = r"(?<![\w@\\])@(?:" + CITE_KEY + r")"


def _cite_keys(text: str) -> list[str]:
    return [k.strip("{}") for k in KEY_RE.findall(text)]


def _citation(text: str) -> ET.Element:
    el = ET.Element("span", {"class": "citation", "data-cites": " ".join(_cite_keys(text))})
    el.text = util.AtomicString(text)
    return el


class BracketedCitationProcessor(InlineProcessor):
    """``[see @doe, p. 3; @roe]``: every ``;``-separated item names a key."""

    PATTERN = r"\[(?=[^\[\]]{0,500}@)"  # bounded: a candidate costs no more than that

    def __init__(self, pattern, md):
        super().__init__(pattern, md)
        self.brackets = Pairs("[", "]")

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        start = m.start(0)
        close = self.brackets.match(data, start)
        if close is None:
            return None, None, None
        inner = data[start + 1:close]
        if close + 1 < len(data) and data[close + 1] in "({[:":
            return None, None, None  # a link, span or reference definition
        items = inner.split(";")
        if not all(KEY_RE.search(item) for item in items):
            return None, None, None
        return _citation(data[start:close + 1]), start, close + 1


class InTextCitationProcessor(InlineProcessor):
    """``@doe`` and ``@doe [p. 3]`` (a locator in brackets right after the key)."""

    def __init__(self, pattern, md):
        super().__init__(pattern, md)
        self.brackets = Pairs("[", "]")

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        start, end = m.start(0), m.end(0)
        after = re.compile(r" ?\[(?!\^)").match(data, end)
        if after:
            close = self.brackets.match(data, after.end() - 1)
            if close is not None and not (close + 1 < len(data) and data[close + 1] in "({"):
                end = close + 1
        return _citation(data[start:end]), start, end


# --------------------------------------------------------------------------- attributes

_SAFE_NAME_RE = re.compile(r"[a-z][a-z0-9_.-]*\Z")
_LENGTH_RE = re.compile(r"(?P<number>\d+(?:\.\d+)?|\.\d+)"
                        r"(?P<unit>%|px|cm|mm|in|inch|pt|pc|em|ex|ch|rem|vw|vh)?\Z")


def apply_attributes(el: ET.Element, attrs: list[tuple[str, str | None]]) -> None:
    """``{#id .class key=value}`` on an element, with keys mapped as in :func:`map_key`."""
    classes: list[str] = []
    for key, value in attrs:
        if key == "#":
            el.set("id", value or "")
        elif key == ".":
            classes.append(value or "")
        elif value is not None:
            el.set(key, value)
    if classes:
        el.set("class", " ".join(classes))
    map_attributes(el)


def _allowed(tag: str, key: str) -> bool:
    return (key in GLOBAL_ATTRIBUTES or key in ELEMENT_ATTRIBUTES.get(tag, ())
            or key.startswith("data-"))


def map_attributes(el: ET.Element) -> None:
    """Pandoc's HTML5 writer for ``key=value``: ``width``/``height`` of an image in pixels
    stay attributes, other units and percentages become a style (``width:50%``); a key the
    element may not carry becomes ``data-key``. Event handlers and odd names are left for
    the sanitizer to refuse, never disguised as data."""
    styles = []
    for key in list(el.attrib):
        value = el.attrib[key]
        if el.tag == "img" and key in ("width", "height"):
            m = _LENGTH_RE.match(value.strip())
            if m and m.group("unit") in (None, "px"):
                el.set(key, str(round(float(m.group("number")))))
            elif m:
                unit = "in" if m.group("unit") == "inch" else m.group("unit")
                styles.append(f"{key}:{m.group('number')}{unit}")
                del el.attrib[key]
            continue
        if _allowed(el.tag, key) or key.startswith("on") or not _SAFE_NAME_RE.match(key):
            continue
        del el.attrib[key]
        el.set(f"data-{key}", value)
    if styles:
        el.set("style", ";".join(filter(None, [*styles, el.get("style")])))


# Pandoc reads {attributes} after links, images, code spans and [spans] only; after any
# other inline element they are text. Python-Markdown's attr_list takes them after any.
ATTRIBUTE_TAKERS = frozenset({"a", "img"})  # code and spans read their own
_BRACE = f"{util.STX}{ord('{')}{util.ETX}"  # an escaped "{", restored by "unescape"


class InlineAttributeGuard(Treeprocessor):
    """Runs before ``attr_list``: a ``{`` right after an inline element that takes no
    attributes in Pandoc is escaped, so it stays text (and the leftover check sees it)."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if (el.tail and el.tail.startswith("{") and el.tag not in ATTRIBUTE_TAKERS
                    and not self.md.is_block_level(el.tag)):
                el.tail = _BRACE + el.tail[1:]


class AttributeMapper(Treeprocessor):
    """Runs after ``attr_list``: maps the keys it copied onto Markdown's own elements."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if el.attrib:
                map_attributes(el)


# --------------------------------------------------------------------------- extension


class PandocInlineExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown API)
        md.registerExtension(self)
        self.md = md
        md.inlinePatterns.register(InlineNoteProcessor(r"\^\[", md), "inline_note", 179)
        md.inlinePatterns.register(
            AttributedCodeProcessor(AttributedCodeProcessor.PATTERN, md), "code_attrs", 191)
        md.inlinePatterns.register(PandocEscapeProcessor(r"\\(.)", md), "escape", 180)
        md.inlinePatterns.register(
            BracketedCitationProcessor(BracketedCitationProcessor.PATTERN, md), "citation", 178)
        md.inlinePatterns.register(InTextCitationProcessor(IN_TEXT_RE, md), "cite_in_text", 177)
        md.preprocessors.register(RawBlockPreprocessor(md), "raw_block", 29.5)
        md.inlinePatterns.register(UriAutolinkProcessor(AUTOLINK_RE, md), "autolink", 120)
        md.inlinePatterns.register(EmailAutolinkProcessor(AUTOMAIL_RE, md), "automail", 110)
        md.inlinePatterns.register(RawTexProcessor(RAW_TEX_RE, md), "raw_tex", 181)
        md.treeprocessors.register(InlineAttributeGuard(md), "inline_attribute_guard", 8.5)
        md.treeprocessors.register(AttributeMapper(md), "attribute_mapper", 7)

    def reset(self) -> None:
        if hasattr(self, "md"):
            self.md.mb_reports = []
