"""Limits on a chapter's source, checked before Python-Markdown sees it.

Python-Markdown parses nested blocks by recursion and inline markup by rebuilding the
block's text once per match; brackets are matched by scanning forward from every ``[``.
A hostile or broken file (1,000 nested lists, megabytes of ``[[[[``) would exhaust the
stack or run for hours. These checks run on the source first, in one linear pass, and
refuse what no book needs, with the line to fix, instead of trying to parse it.
"""

from __future__ import annotations

import re
import typing

from make_book.markup.md_fenced_divs import CODE_FENCE_RE, FENCE_RE

MAX_NESTING = 100  # lists, block quotes and fenced divs inside each other; books use < 10
# One paragraph's parse cost, in units of (characters x inline markup) and of characters
# scanned for brackets: at most about 2 s each here. A 5 MB paragraph of prose with no
# markup costs nothing, and a 600,000-character single-paragraph novel with 8,000 italics
# and 8,000 notes passes (1.8 s); 5 MB with markup every few words does not.
MAX_INLINE_COST = 20_000_000_000
MAX_BRACKET_SCAN = 4_000_000
# Python-Markdown numbers repeated calls of one note by trying every earlier number: the
# cost grows with the square of the calls.
MAX_CALLS_PER_NOTE = 200
# Many paragraphs each just under the limits add up: a chapter may cost this many times one
# paragraph's limit (real chapters cost well under one).
MAX_CHAPTER_COST = 5.0
# Notes in one file: Python-Markdown's footnotes look up each new note in a list of all the
# earlier ones, so the cost grows with the square of their number (10,000 notes: some 10 s
# here, 30,000: 100 s). Scholarly chapters hold hundreds; a whole annotated book in one
# file (the single-paragraph novel of tests/security/test_limits.py) 8,000.
MAX_NOTES = 10_000
_NOTE_DEF_RE = re.compile(r"^ {0,3}\[\^([^\]\s\[]{1,200})\]:", re.M)
_INLINE_NOTE_RE = re.compile(r"(?<!\[)\^\[")  # ^[an inline note], not [^[ of a call
_NOTE_CALL_RE = re.compile(r"\[\^([^\]\s\[]{1,200})\](?!:)")  # bounded: linear time
_MARK_RE = re.compile(r"[*_`<\[\]!&\\]")  # what may start inline markup, and "]"
_LEAD_RE = re.compile(r"[ \t>]*")


class Refusal(typing.NamedTuple):
    """Why a chapter's source is not parsed: ``line`` is 1-based within the text given."""

    code: str
    line: int
    message: str
    hint: str


def check_limits(text: str) -> list[Refusal]:
    """Source structures too deep or too costly to parse safely (see the section comment)."""
    refusals: list[Refusal] = []
    code_fence: str | None = None
    divs = 0
    deepest = (0, 0)  # (depth, line)
    block_start, block_chars, marks, brackets, seen = 1, 0, 0, 0, 0
    scan = 0
    total = 0.0
    open_brackets: list[int] = []  # offsets (within the block) of unmatched '['

    def end_block(next_line: int) -> None:
        nonlocal block_start, block_chars, marks, brackets, seen, scan, open_brackets, total
        scan += sum(block_chars - at for at in open_brackets)  # unmatched: scan to the end
        total += block_chars * marks / MAX_INLINE_COST + scan / MAX_BRACKET_SCAN
        if block_chars * marks > MAX_INLINE_COST or scan > MAX_BRACKET_SCAN:
            refusals.append(Refusal(
                "C006", block_start,
                f"paragraph of {block_chars:,} characters is too costly to parse: it holds "
                f"{brackets:,} brackets and {seen:,} other markup characters",
                "split it into shorter paragraphs, and escape stray brackets as \\["))
        block_start, block_chars, marks, brackets, seen, scan, open_brackets = (
            next_line, 0, 0, 0, 0, 0, [])

    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            end_block(number + 1)
            continue
        fence = CODE_FENCE_RE.match(line.lstrip(" >"))
        if code_fence is not None:
            if fence and fence.group(1).startswith(code_fence):
                code_fence = None
            continue
        if fence:
            code_fence = fence.group(1)
            continue
        lead = _LEAD_RE.match(line).group()
        quotes = lead.count(">")
        indent = len(lead[lead.rfind(">") + 1:].replace("\t", "    "))  # after the quotes
        fenced = FENCE_RE.match(line)
        if fenced:
            divs = divs + 1 if fenced.group("spec") else max(divs - 1, 0)
        depth = quotes + indent // 4 + divs
        if depth > deepest[0]:
            deepest = (depth, number)
        for m in _MARK_RE.finditer(line):
            ch, at = m.group(), block_chars + m.start()
            if ch == "]":
                if open_brackets:
                    scan += at - open_brackets.pop()
                continue
            marks += 10 if ch == "<" else 1  # `<` tries three patterns, each slow
            if ch == "[":
                brackets += 1
                open_brackets.append(at)
            else:
                seen += 1
        block_chars += len(line) + 1
    end_block(0)
    if total > MAX_CHAPTER_COST and not refusals:
        refusals.append(Refusal(
            "C006", 1, "the chapter's markup is too costly to parse as a whole",
            "split the chapter into several files"))
    calls: dict[str, list[int]] = {}
    for m in _NOTE_CALL_RE.finditer(text):
        calls.setdefault(m.group(1), []).append(m.start())
    for label, offsets in calls.items():
        if len(offsets) > MAX_CALLS_PER_NOTE:
            refusals.append(Refusal(
                "C006", text.count("\n", 0, offsets[0]) + 1,
                f"note [^{label}] is called {len(offsets):,} times; the limit is "
                f"{MAX_CALLS_PER_NOTE}", "give repeated calls their own notes"))
    labels = {m.group(1) for m in _NOTE_DEF_RE.finditer(text)}
    inline_notes = len(_INLINE_NOTE_RE.findall(text))
    if len(labels) + inline_notes > MAX_NOTES:
        refusals.append(Refusal(
            "C110", 1, f"{len(labels) + inline_notes:,} notes in one file; the limit is "
            f"{MAX_NOTES:,}", "split the file into several chapters"))
    if deepest[0] > MAX_NESTING:
        refusals.insert(0, Refusal(
            "C005", deepest[1], f"lists, quotes or divs nested {deepest[0]} levels deep; "
            f"the limit is {MAX_NESTING}", "no book needs this: flatten the structure"))
    return refusals
