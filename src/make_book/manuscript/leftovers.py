"""Pandoc syntax that reached the book as literal text: reported, never printed silently.

The reader supports most of Pandoc's Markdown; what it does not turn into structure (a
construct not supported yet, or one written slightly off, such as an unclosed ``^[``)
would otherwise be printed as typed, and nobody notices ``{.smallcaps}`` in a finished
book. After conversion, every text node outside code and math is matched against
:data:`PATTERNS`, a table of (pattern, what it is, hint): one warning ``C100`` per
construct and line. Citations, which Pandoc marks even without a bibliography, are left
to :mod:`make_book.transforms.citations` (which reports them, C101, when the book has no
bibliography).
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

from lxml import etree

from make_book.errors import Diagnostics

__all__ = ["PATTERNS", "Leftover", "report_leftovers"]


class Leftover(typing.NamedTuple):
    pattern: re.Pattern[str]
    what: str
    hint: str


def _p(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.MULTILINE)


PATTERNS: tuple[Leftover, ...] = (
    Leftover(_p(r"\^\["), "an inline note ^[...] left as text",
             "close its bracket: ^[text of the note]"),
    Leftover(_p(r"\[(?:[^\]\n]*[\s;\[])?-?@[\w{][^\]\n]*\]"), "a citation [@key] left as text",
             "citations are not supported yet"),
    Leftover(_p(r"\{=[\w-]+\}"), "a raw attribute {=format} left as text",
             "write `raw`{=html} right after a code span, or a ```{=html} fence"),
    Leftover(_p(r"\{:?\s*(?:[#.][\w-]|[\w-]+=)[^{}\n]*\}"),
             "an attribute block {#id .class key=value} left as text",
             "attributes go right after a heading, link, image, code span, [span] or fence"),
    Leftover(_p(r"^[ \t]*:{3,}"), "a fenced div line ::: left as text",
             "open a div with ::: name or ::: {.name} on a line of its own, close it with :::"),
    # block syntax the block readers (md_tables, md_line_blocks, md_code) did not take
    Leftover(_p(r"^\| (?!.*\|[ \t]*$)"), "a line block | left as text",  # not a table row
             "start the line block after a blank line; each line starts with '| '"),
    Leftover(_p(r"^[ \t]*\+(?:[-=:]{3,}\+)+[ \t]*$"), "a grid table rule +---+ left as text",
             "every cell must be a rectangle of + corners, | sides and - or = rules, all "
             "lines of the same length, with a blank line before and after the table"),
    Leftover(_p(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|(?:[ \t]*:?-+:?[ \t]*\|?)*[ \t]*$"),
             "a pipe table rule |---| left as text",
             "a pipe table needs a header row (it may be empty) right above its |---| line "
             "and a blank line before it"),
    Leftover(_p(r"^[ \t]*-{3,}(?:[ \t]+-{3,})+[ \t]*$"),
             "a simple table rule ----- ----- left as text",
             "put the header line right above the dashes, and a blank line before and after "
             "the table"),
    Leftover(_p(r"^[ \t]*(?:`{3,}|~{3,})"), "a code fence ``` left as text",
             "close the code block with a line of at least as many backticks or tildes"),
    Leftover(_p(r"\$\$"), "display math $$ left as text",
             "close it with $$ in the same paragraph, or escape a literal dollar as \\$"),
)

SKIPPED = frozenset({"code", "pre", "kbd", "samp", "math"})


def _skipped(el: etree._Element | None) -> bool:
    while el is not None:
        if isinstance(el.tag, str) and (etree.QName(el).localname in SKIPPED
                                        or "citation" in (el.get("class") or "").split()):
            return True  # a citation is the citations transform's
        el = el.getparent()
    return False


def _own_skip(el: etree._Element) -> bool:
    return (etree.QName(el).localname in SKIPPED
            or "citation" in (el.get("class") or "").split())


def _texts(root: etree._Element):
    """Every text node under ``root`` outside code and math, in document order. Whether a
    node is inside code is kept per element on the way down: asking each node's ancestors
    made a long chapter's walk quadratic in its depth."""
    inside: dict[etree._Element, bool] = {root: _skipped(root)}
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        up = inside[node.getparent()] if node is not root else False
        if node is not root:
            inside[node] = up or _own_skip(node)
        if node.text and not inside[node]:
            yield node.text
        if node is not root and node.tail and not up:
            yield node.tail


def report_leftovers(root: etree._Element, path: Path, line_of,
                     diagnostics: Diagnostics) -> None:
    """Warn about each leftover construct under ``root``. Most chapters have none: each
    pattern first searches all the texts at once, one per line (every pattern is
    MULTILINE, so a text's start and end stay line boundaries and a construct in one text
    still matches), and only a pattern found there is matched text by text."""
    texts = list(_texts(root))
    joined = "\n".join(texts)
    found = [entry for entry in PATTERNS if entry.pattern.search(joined)]
    for text in texts if found else ():
        for entry in found:
            for m in entry.pattern.finditer(text):
                snippet = m.group(0).strip().split("\n")[0]
                # the whole line finds the right one of several alike ("| " starts many)
                start = text.rfind("\n", 0, m.start()) + 1
                end = text.find("\n", m.start())
                whole = text[start:end if end >= 0 else len(text)].strip()[:40]
                diagnostics.warning("C100", f"{entry.what}: {snippet[:40]}", path,
                                    line_of(whole) or line_of(snippet), hint=entry.hint)
