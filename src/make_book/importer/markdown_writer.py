"""HTML (mammoth's from Word, an EPUB's XHTML) written as Pandoc Markdown.

Our own writer, not an HTML-to-Markdown library: html2text and markdownify write
CommonMark-flavoured text with a partial escape (they leave ``$``, ``^``, ``~``, ``@``,
``|`` and fancy-list markers such as ``A.`` or ``(iv)`` unescaped, which Pandoc reads as
math, superscripts, citations, tables or lists) and know no Pandoc construct (``[x]{lang=de}``,
``[x]{.smallcaps}``, ``[^n]`` notes, grid tables, ``{#id}``). The tree is plain (the readers
strip namespaces and turn note calls into ``<mb-noteref key=...>``); the writer is a pure
function of it, so readers and writer are tested apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from make_book.importer.grid_tables import grid_table, table_cells
from make_book.importer.markdown_escape import (
    collapse_spaces,
    escape_heading,
    escape_inline,
    escape_line_starts,
)
from make_book.importer.markdown_syntax import (
    _alt_attribute,
    _code_span,
    _indent,
    _is_small_caps,
    _lang,
    _lone_image,
    _tag,
)

NOTEREF = "mb-noteref"  # the readers' mark for a note call: <mb-noteref key="..."/>
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCKS = {"p", "ul", "ol", "blockquote", "table", "hr", "pre", "div", "section", "article",
          "aside", "figure", "header", "footer", "main", "nav", "dl", "figcaption",
          "address", "center", "li", "dd", "dt", *HEADINGS}
_SKIP = {"script", "style", "head", "title", "meta", "link", "noscript", "template"}
_GOOD_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]*$")
_BREAK = "\\\n"
_LIST_BLOCK = re.compile(r"(?:-|\d+\.) {1,3}\S")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff"))  # a byte order mark is no text


def replace_call(a: etree._Element, key: str) -> None:
    """The note call ``a``, with the superscripts that hold only it, -> ``<mb-noteref>``."""
    replaced = a
    outer = a.getparent()
    while outer is not None and outer.tag == "sup" and len(outer) == 1 \
            and not (outer.text or "").strip() and not (replaced.tail or "").strip():
        replaced, outer = outer, outer.getparent()
    call = etree.Element(NOTEREF, key=key)
    call.tail = replaced.tail
    # the word joiner a build puts before a call is the build's to put back
    prev = replaced.getprevious()
    if prev is not None and prev.tail:
        prev.tail = prev.tail.rstrip("\u2060")
    elif prev is None and replaced.getparent().text:
        replaced.getparent().text = replaced.getparent().text.rstrip("\u2060")
    replaced.getparent().replace(replaced, call)


def target_id(ident: str) -> str:
    """An id as written in ``{#id}``: kept when Pandoc and XML both read it as is."""
    if _GOOD_ID.match(ident):
        return ident
    return "ref-" + (re.sub(r"[^A-Za-z0-9_.:-]+", "-", ident).strip("-") or "x")


@dataclass
class NoteNumbers:
    """Labels ``[^1]``, ``[^2]``... across the whole book, in the order of the calls."""
    next: int = 1
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, key: str) -> tuple[str, bool]:
        """The label of note ``key``, and whether this is its first call."""
        if key in self.labels:
            return self.labels[key], False
        self.labels[key] = str(self.next)
        self.next += 1
        return self.labels[key], True


class ChapterWriter:
    """One chapter's Markdown: its blocks, then the definitions of the notes it calls."""

    def __init__(self, notes: dict[str, etree._Element], numbers: NoteNumbers,
                 targets: set[str]):
        self.notes = notes
        self.numbers = numbers
        self.targets = targets  # ids some link points to: only these are written
        self._called: list[tuple[str, str]] = []
        self._in: set[str] = set()

    # -- the chapter ------------------------------------------------------------------
    def chapter(self, elements: list[etree._Element]) -> str:
        body = self._join(self._blocks_of_list(elements))
        definitions = []
        done = 0
        while done < len(self._called):  # a note's text may call another note
            label, key = self._called[done]
            done += 1
            text = self._join(self.blocks(self.notes[key])) or escape_inline(" ")
            first, _, rest = text.partition("\n")
            definition = f"[^{label}]: {first}"
            if rest:
                definition += "\n" + _indent(rest, 4)
            definitions.append(definition)
        return "\n\n".join(filter(None, [body, *definitions])) + "\n"

    @staticmethod
    def _join(blocks: list[str]) -> str:
        return "\n\n".join(b for b in blocks if b.strip())

    # -- blocks -----------------------------------------------------------------------
    def blocks(self, container: etree._Element) -> list[str]:
        """The blocks of ``container``'s content: inline runs between blocks are paragraphs."""
        return self._mixed(container.text, list(container))

    def _blocks_of_list(self, elements: list[etree._Element]) -> list[str]:
        return self._mixed(None, elements)

    def _mixed(self, text: str | None, children: list) -> list[str]:
        out: list[str] = []
        run: list[str] = [self._text(text)]
        for child in children:
            tag = _tag(child)
            if tag in BLOCKS:
                out.append(self._paragraph("".join(run)))
                run = []
                out.extend(self._block(child))
            elif tag and tag not in _SKIP:
                run.append(self._inline(child))
            run.append(self._text(child.tail))
        out.append(self._paragraph("".join(run)))
        return [b for b in out if b]

    def _anchor(self, el: etree._Element) -> str:
        ident = el.get("id")
        return f"[]{{#{target_id(ident)}}}" if ident and ident in self.targets else ""

    def _block(self, el: etree._Element) -> list[str]:
        tag = _tag(el)
        if tag in HEADINGS:
            return [self._heading(el, HEADINGS[tag])]
        if tag == "p" and len(el) == 1 and _tag(el[0]) == "img" and not (
                (el.text or "").strip() or (el[0].tail or "").strip()):
            return [self._anchor(el) + _lone_image(el[0])]
        if tag == "p" or tag == "dt":
            return [self._paragraph(self._anchor(el) + self._span_of(el, self._children(el)))]
        if tag in ("ul", "ol"):
            return [self._list(el, tag == "ol")]
        if tag == "blockquote":
            inner = "\n\n".join(self.blocks(el))
            return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))]
        if tag == "table":
            return [self._table(el)]
        if tag == "hr":
            return ["* * *"]
        if tag == "pre":
            return [self._code_block(el)]
        if tag == "figure":
            return self._figure(el)
        anchor = self._anchor(el)
        lang = _lang(el)
        if lang or _is_small_caps(el):  # a block in another language: a fenced div
            inner = "\n\n".join(self.blocks(el))
            attrs = " ".join(filter(None, [".smallcaps" if _is_small_caps(el) else "",
                                           f"lang={lang}" if lang else ""]))
            return [anchor, f"::: {{{attrs}}}\n{inner}\n:::"] if inner else []
        return [anchor, *self.blocks(el)]

    def _paragraph(self, inline: str, line_starts: bool = True) -> str:
        text = re.sub(r" *\\\n *", _BREAK, re.sub(r" {2,}", " ", inline)).strip(" ")
        while text.endswith(_BREAK):  # a break at the end would be a literal backslash
            text = text[:-len(_BREAK)].rstrip(" ")
        while text.startswith(_BREAK):
            text = text[len(_BREAK):].lstrip(" ")
        if not text.strip():
            return ""
        return escape_line_starts(text) if line_starts else text

    def _heading(self, el: etree._Element, level: int) -> str:
        self._in.add("heading")
        try:
            text = self._paragraph(self._children(el), False).replace(_BREAK, " ")
        finally:
            self._in.discard("heading")
        if not text:
            return ""
        ident = el.get("id")
        attrs = f" {{#{target_id(ident)}}}" if ident and ident in self.targets else ""
        return f"{'#' * level} {text}{attrs}"

    def _list(self, el: etree._Element, ordered: bool) -> str:
        try:
            start = int(el.get("start") or 1)
        except ValueError:
            start = 1
        items = [li for li in el if _tag(li) == "li"]
        bodies = [self.blocks(li) for li in items]
        # tight when no item holds more than one block besides its nested lists (a
        # paragraph's own "-" or "1." is escaped, so this match finds only list blocks)
        tight = all(sum(1 for b in body if not _LIST_BLOCK.match(b)) <= 1 for body in bodies)
        written = []
        for n, body in enumerate(bodies):
            marker = f"{start + n}." if ordered else "-"
            width = max(4, len(marker) + 1)
            text = ("\n" if tight else "\n\n").join(body)
            first, _, rest = text.partition("\n")
            item = marker.ljust(width) + first if first else marker
            if rest:
                item += "\n" + _indent(rest, width)
            written.append(item.rstrip())
        return ("\n" if tight else "\n\n").join(written)

    def _code_block(self, el: etree._Element) -> str:
        text = "".join(el.itertext()).rstrip("\n")
        longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
        fence = "`" * (longest + 1)
        return f"{fence}\n{text}\n{fence}"

    def _figure(self, el: etree._Element) -> list[str]:
        images = el.xpath(".//img")
        caption = el.find(".//figcaption")
        if len(images) != 1:
            return [self._anchor(el), *self.blocks(el)]
        img = images[0]
        src = img.get("src")
        if not src:
            return []
        alt = collapse_spaces(img.get("alt") or "").strip()
        text = self._children(caption).strip() if caption is not None else ""
        if not text:
            return [self._anchor(el) + _lone_image(img)]
        attrs = ""
        if alt and alt != collapse_spaces(caption.xpath("string()")).strip():
            attrs = _alt_attribute(alt)
        return [self._anchor(el) + f"![{text}]({src}){attrs}"]

    # -- tables -----------------------------------------------------------------------
    def _table(self, el: etree._Element) -> str:
        rows = el.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        header = el.xpath("./thead/tr")
        if not header and rows and all(_tag(c) == "th" for c in rows[0]):
            header = rows[:1]
        cells, slots = table_cells(rows)
        if not cells:
            return ""
        width = 1 + max(c for _, c in slots)
        spans = any(c.rows > 1 or c.cols > 1 for c in cells)
        simple = not spans and all(self._simple_cell(c.el) for c in cells)
        for cell in cells:
            text = "\n\n".join(self.blocks(cell.el))
            cell.lines = (text.replace("\n", " ") if simple else text).split("\n")
        head_n = len(header)
        if simple and head_n <= 1:
            grid = [[slots[(r, c)].lines[0] if (r, c) in slots else "" for c in range(width)]
                    for r in range(len(rows))]
            table = self._pipe(grid, head_n, width)
        else:
            table = grid_table(cells, slots, len(rows), width, head_n)
        caption = el.find("caption")
        if caption is not None:
            cap = self._paragraph(self._children(caption)).replace(_BREAK, " ")
            if cap:
                table += f"\n\nTable: {cap}"
        return table

    @staticmethod
    def _simple_cell(cell: etree._Element) -> bool:
        if cell.xpath(".//*[self::ul or self::ol or self::table or self::blockquote or "
                      "self::pre or self::br or self::h1 or self::h2 or self::h3 or "
                      "self::h4 or self::h5 or self::h6 or self::hr]"):
            return False
        return len(cell.xpath("./p|./div")) <= 1

    @staticmethod
    def _pipe(texts: list[list[str]], head_n: int, width: int) -> str:
        head = texts[0] if head_n else [""] * width
        body = texts[1:] if head_n else texts

        def row(cells: list[str]) -> str:
            return "| " + " | ".join(cells) + " |"
        return "\n".join([row(head), "|" + "|".join(["---"] * width) + "|",
                          *(row(r) for r in body)])

    # -- inlines ----------------------------------------------------------------------
    def _text(self, text: str | None) -> str:
        if not text:
            return ""
        text = escape_inline(collapse_spaces(text.translate(_INVISIBLE)))
        return escape_heading(text) if "heading" in self._in else text

    def _children(self, el: etree._Element) -> str:
        parts = [self._text(el.text)]
        for child in el:
            tag = _tag(child)
            if tag and tag not in _SKIP:
                parts.append(self._inline(child))
            parts.append(self._text(child.tail))
        return "".join(parts)

    def _wrapped(self, el: etree._Element, kind: str, mark: str, close: str = "") -> str:
        if kind in self._in:  # emphasis inside emphasis: Pandoc would read it as closing
            return self._children(el)
        self._in.add(kind)
        try:
            inner = self._children(el)
        finally:
            self._in.discard(kind)
        core = inner.strip(" ")
        if not core.replace(_BREAK, "").strip():
            return inner
        lead = inner[:len(inner) - len(inner.lstrip(" "))]
        trail = inner[len(inner.rstrip(" ")):]
        return f"{lead}{mark}{core}{close or mark}{trail}"

    def _span_of(self, el: etree._Element, inner: str) -> str:
        """``inner`` in a Pandoc span when ``el`` says small caps or a language."""
        attrs = []
        if _is_small_caps(el):
            attrs.append(".smallcaps")
        lang = _lang(el)
        if lang:
            attrs.append(f"lang={lang}")
        if not attrs or not inner.strip():
            return inner
        core = inner.strip(" ")
        lead = inner[:len(inner) - len(inner.lstrip(" "))]
        trail = inner[len(inner.rstrip(" ")):]
        return f"{lead}[{core}]{{{' '.join(attrs)}}}{trail}"

    def _inline(self, el: etree._Element) -> str:
        tag = _tag(el)
        if tag == NOTEREF:
            return self._note_call(el.get("key") or "")
        if tag in ("em", "i", "cite", "dfn", "var"):
            return self._span_of(el, self._wrapped(el, "em", "*"))
        if tag in ("strong", "b"):
            return self._span_of(el, self._wrapped(el, "strong", "**"))
        if tag in ("s", "del", "strike"):
            return self._wrapped(el, "strike", "~~")
        if tag in ("sup", "sub"):
            return self._script(el, tag)
        if tag in ("code", "kbd", "samp", "tt"):
            return _code_span(collapse_spaces("".join(el.itertext())))
        if tag == "br":
            return _BREAK
        if tag == "img":
            src = el.get("src")
            alt = escape_inline(collapse_spaces(el.get("alt") or "").strip())
            return f"![{alt}]({src})" if src else ""
        if tag == "a":
            return self._link(el)
        if tag in HEADINGS or tag in BLOCKS:
            return self._children(el)
        return self._anchor(el) + self._span_of(el, self._children(el))

    def _script(self, el: etree._Element, tag: str) -> str:
        inner = self._children(el)
        core = inner.strip(" ")
        if not core:
            return inner
        if " " in core or _BREAK in core or "script" in self._in:
            return f"<{tag}>{core}</{tag}>"  # Pandoc's ^x^ and ~x~ hold no space
        mark = "^" if tag == "sup" else "~"
        return f"{mark}{core}{mark}"

    def _link(self, el: etree._Element) -> str:
        href = el.get("href") or ""
        inner = self._anchor(el) + self._children(el)
        if href.startswith("#"):
            target = href[1:]
            if target in self.targets:
                return f"[{inner}](#{target_id(target)})" if inner.strip() else inner
            return inner
        if re.match(r"(?i)(https?|mailto|ftp):", href) and inner.strip():
            url = re.sub(r"[ ()<>]", lambda m: f"%{ord(m.group()):02X}", href)
            return f"[{inner}]({url})"
        return inner

    def _note_call(self, key: str) -> str:
        if key not in self.notes:
            return ""
        label, first = self.numbers.label(key)
        if first:
            self._called.append((label, key))
        return f"[^{label}]"
