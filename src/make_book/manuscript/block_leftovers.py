"""Block syntax that reached the output as text: a table, line block, fence or div that the
reader did not recognise (a ragged grid table, a fence never closed, a line block glued to
the paragraph above) would print its ``|``, ``+---+`` or ``:::`` in the book. Each such
line is reported once, with its source line, so the author fixes the source instead of
finding it in proof.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from make_book.errors import Diagnostics

# (code, pattern on a line of text, what it is, hint)
PATTERNS: tuple[tuple[str, re.Pattern[str], str, str], ...] = (
    ("C140", re.compile(r"^\+(?:[-=:]{2,}\+)+$"), "a grid table rule",
     "every cell must be a rectangle of + corners, | sides and - or = rules, all lines "
     "of the same length; the table needs a blank line before and after it"),
    ("C141", re.compile(r"^\|?\s*:?-{3,}:?\s*\|(?:\s*:?-+:?\s*\|?)*$"), "a pipe table rule",
     "a pipe table needs a header row (it may be empty) right above its |---| line and a "
     "blank line before it"),
    ("C142", re.compile(r"^\|(?: |$)"), "a line block line ('| ')",
     "start the line block after a blank line"),
    ("C143", re.compile(r"^(?:`{3,}|~{3,})"), "a code fence",
     "close the code block with a line of at least as many backticks or tildes"),
    ("C144", re.compile(r"^:{3,}"), "a fenced div marker (':::')",
     "open the div with ::: and a class or {attributes}; close it with ::: alone"),
)
_VERBATIM = frozenset({"pre", "code", "kbd", "samp"})
_BLOCKS = frozenset({"p", "li", "dt", "dd", "td", "th", "div", "blockquote", "caption",
                     "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "section", "aside"})


def report_block_leftovers(section: etree._Element, path,
                           line_of: Callable[[str], int | None],
                           diagnostics: Diagnostics) -> None:
    seen: set[str] = set()  # each distinct line once, and each kind once per text run
    for el in section.iter():
        if not isinstance(el.tag, str):
            continue
        for text, owner, starts_line in ((el.text, el, el.tag in _BLOCKS),
                                         (el.tail, el.getparent(), False)):
            if not text or _verbatim(owner):
                continue
            reported: set[str] = set()
            for n, raw in enumerate(text.split("\n")):
                line = raw.strip()
                if not line or line in seen or (n == 0 and not starts_line):
                    continue  # text after inline markup does not start a line
                for code, pattern, what, hint in PATTERNS:
                    if pattern.match(line):
                        seen.add(line)
                        if code in reported:
                            break
                        reported.add(code)
                        diagnostics.warning(code, f"{what} is printed as text: {line[:40]}",
                                            path, line_of(line[:40]), hint=hint)
                        break


def _verbatim(el: etree._Element | None) -> bool:
    while el is not None:
        if el.tag in _VERBATIM:
            return True
        el = el.getparent()
    return False
