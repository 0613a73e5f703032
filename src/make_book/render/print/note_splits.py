"""Footnotes that continue on the next page: a long note split into parts.

WeasyPrint sets each footnote whole at the foot of its call's page. A note taller than
about half the text block then either overflows the page or leaves a page of footnote,
and used to be moved to the chapter's end. A typesetter runs it on instead: the first
part at the foot of the call's page, the rest at the foot of the next page (and the one
after, for a very long note), each part ending mid-sentence so the reader sees it goes on
(Chicago 14.46; Bringhurst 4.3.1).

A split is data (:class:`NoteSplit`): where in the note's text each part begins, and for
each continuation the page line it hangs on (the chapter block and the text of the first
line of the page it must open). The print renderer chooses both from the laid-out pages
(:func:`cut_for_lines`, the page's first line from ``PageFacts.first_lines``); the HTML
stage builds the parts (:func:`note_parts`) and hangs each continuation, a footnote with
no call and no marker, on that line (:func:`hang_on_line`).

Offsets count the characters a reader sees, white space collapsed, as WeasyPrint sets
them: the same count whether taken from the source tree or from laid-out lines.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from lxml import etree

CONT_CLASS = "mb-footnote-cont"  # a continuation: floats as a footnote, no call or marker
RUN_OVER = "end"  # a continuation's block: a page of its own after the chapter's text
RUN_OVER_CLASS = "mb-note-runover"  # that page's empty line (break-before: page)


def run_over_mark(file_id: str) -> str:
    """The block mark of a chapter's run-over page (see ``RUN_OVER``)."""
    return f"{file_id}:{RUN_OVER}"


def is_run_over(mark: str) -> bool:
    return mark.rsplit(":", 1)[-1] == RUN_OVER
RUN_ON_CLASS = "mb-run-on"  # a paragraph of a note that began in the part before
SKIP_CLASSES = frozenset({"mb-footnote", "mb-noteanchor"})  # not in the line's text
# a note is never cut inside these (their rows or lines would be cut apart)
UNCUT = frozenset({"mb-table", "mb-pre", "mb-dl", "mb-math-tex", "mb-figure"})
BREAKS_BEFORE = frozenset(" -/\u2010\u2013\u2014")  # what a line may begin after
_SPACE = re.compile(r"[ \t\n\r\f]+")  # what CSS collapses (not a no-break space)
_COLLAPSIBLE = frozenset(" \t\n\r\f")


@dataclass(frozen=True)
class NoteSplit:
    """Note ``note_id`` printed in ``len(cuts) + 1`` parts: part k+1 begins at character
    ``cuts[k]`` of the note's text. ``anchors[k]`` is where part k+2 hangs: (block mark,
    text of the page's first line, about where that line begins in the block's text), or
    None while the page is not yet known."""

    note_id: str
    cuts: tuple[int, ...]
    anchors: tuple[tuple[str, str, int] | None, ...]
    measured: bool = True  # False while the first cut is a probe (note_plan)

    def part_id(self, k: int) -> str:
        """The id of part ``k`` (0: the note's own id)."""
        return self.note_id if k == 0 else f"{self.note_id}-part{k + 1}"

    def anchor_id(self, k: int) -> str:
        """The id of the empty anchor a continuation ``k`` (from 1) hangs after: its
        "call", for the check that it is set on that line's page."""
        return f"{self.part_id(k)}-call"

    def hung(self) -> list[int]:
        """The continuations that have their line."""
        return [k for k in range(1, len(self.cuts) + 1) if self.anchors[k - 1] is not None]


def base_note_id(part_id: str) -> str:
    """The note a part belongs to."""
    return re.sub(r"-part\d+$", "", part_id)


# ----------------------------------------------------------------------------- text slots

Slot = tuple[etree._Element, str, int]  # (element, "text" or "tail", index in that string)


def _skipped(el: etree._Element) -> bool:
    return bool(SKIP_CLASSES.intersection((el.get("class") or "").split()))


def text_slots(root: etree._Element) -> tuple[str, list[Slot]]:
    """The text ``root`` shows, white space collapsed to single spaces, leading space
    dropped, soft hyphens left out; and for each character where it sits in the tree."""
    out: list[str] = []
    slots: list[Slot] = []

    def add(el: etree._Element, kind: str, text: str | None) -> None:
        for i, ch in enumerate(text or ""):
            if ch == "\xad":
                continue
            if ch in _COLLAPSIBLE:
                if not out or out[-1] == " ":
                    continue
                ch = " "
            out.append(ch)
            slots.append((el, kind, i))

    # an explicit stack: ("open", el) visits an element, ("tail", el) its tail
    stack: list[tuple[str, etree._Element]] = [("open", root)]
    while stack:
        what, el = stack.pop()
        if what == "tail":
            add(el, "tail", el.tail)
            continue
        if el is not root and (not isinstance(el.tag, str) or _skipped(el)):
            continue  # its tail was pushed with it
        add(el, "text", el.text)
        children = list(el)
        for child in reversed(children):
            stack.append(("tail", child))
            stack.append(("open", child))
    return "".join(out), slots


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\xad", "")).strip(" ")


# ----------------------------------------------------------------------------- cutting

def _chain(root: etree._Element, el: etree._Element) -> list[etree._Element]:
    """``el`` and its ancestors up to (not including) ``root``, innermost first."""
    out = []
    while el is not root:
        out.append(el)
        el = el.getparent()
    return out


def _keep_before(root: etree._Element, slot: Slot) -> None:
    """Cut ``root`` (in place) just before the character at ``slot``."""
    el, kind, index = slot
    if kind == "text":
        el.text = el.text[:index]
        for child in list(el):
            el.remove(child)
        start = el
    else:
        el.tail = el.tail[:index]
        start = el
    for node in _chain(root, start):
        parent = node.getparent()
        for sibling in list(node.itersiblings()):
            parent.remove(sibling)
        if node is not start or kind == "text":
            node.tail = None


def _keep_from(root: etree._Element, slot: Slot, run_on: bool = True) -> None:
    """Cut ``root`` (in place) so that it begins with the character at ``slot``; with
    ``run_on``, the blocks of the note it begins inside are marked as running on (no
    indent)."""
    el, kind, index = slot
    if kind == "text":
        el.text = el.text[index:]
        chain = _chain(root, el)
    else:  # el and what precedes it come before the cut: its tail opens its parent
        parent = el.getparent()
        rest = el.tail[index:]
        for sibling in list(el.itersiblings(preceding=True)):
            parent.remove(sibling)
        parent.remove(el)
        parent.text = rest
        chain = _chain(root, parent)
    for node in chain:
        parent = node.getparent()
        for sibling in list(node.itersiblings(preceding=True)):
            parent.remove(sibling)
        parent.text = None
        if run_on and (node.get("class") or "").startswith("mb-"):
            node.set("class", f"{node.get('class')} {RUN_ON_CLASS}")


def _slot_at(root: etree._Element, offset: int) -> Slot | None:
    _, slots = text_slots(root)
    return slots[offset] if offset < len(slots) else None


def note_parts(span: etree._Element, cuts: tuple[int, ...]) -> list[etree._Element]:
    """The footnote span ``span`` (its text and markup) cut at ``cuts`` (offsets into
    its text, increasing): one copy of the span per part, each holding only its part."""
    parts = []
    bounds = (0, *cuts)
    for k, start in enumerate(bounds):
        part = copy.deepcopy(span)
        if start:
            slot = _slot_at(part, start)
            if slot is None:
                break
            _keep_from(part, slot)
        if k + 1 < len(bounds):
            end = bounds[k + 1] - start
            slot = _slot_at(part, end)
            if slot is not None:
                _keep_before(part, slot)
        parts.append(part)
    return parts


def cut_for_lines(span: etree._Element, start: int, lines: int, per_line: float) -> int | None:
    """Where to end a part that begins at ``start`` and may fill about ``lines`` lines of
    ``per_line`` characters: after the last word that fits, never inside a table, code or
    formula, and short of the note's end (None: the rest fits, or no cut can be made)."""
    text, slots = text_slots(span)
    budget = int(lines * per_line)
    rest = text[start:]
    if len(rest) <= budget or lines < 2:
        return None
    target = start + budget
    # walk back to a space, past anything that must not be cut
    i = target
    while i > start:
        if text[i] == " " and not _uncut(span, slots[i]):
            break
        i -= 1
    if i <= start + per_line:  # less than a line would be left before the cut
        return None
    return i + 1  # the next part begins with the word after the space


def _uncut(span: etree._Element, slot: Slot) -> bool:
    el = slot[0]
    if slot[1] == "tail":
        el = el.getparent()
    while el is not None and el is not span:
        if UNCUT.intersection((el.get("class") or "").split()):
            return True
        el = el.getparent()
    return False


# ----------------------------------------------------------------------------- hanging

def hang_on_line(block: etree._Element, line: str, elements: list[etree._Element],
                 near: int = 0) -> bool:
    """Insert ``elements`` into ``block`` at the first word boundary of the laid-out line
    whose text is ``line`` (a page's first line), so that they are set on that line; of
    several places with that text, the nearest to character ``near``. False when the
    line is not found in the block's text."""
    text, slots = text_slots(block)
    probe = _normal(line)[:48].rstrip()
    at = -1 if probe else 0  # no text: the block's start
    if probe:
        found = [m.start() for m in re.finditer(re.escape(probe), text)]
        if found:
            at = min(found, key=lambda i: abs(i - near))
    if at < 0:
        return False
    if at > 0 and text[at - 1] != " ":  # the line begins inside a hyphenated word
        space = text.find(" ", at)
        if space < 0:
            return False
        at = space + 1
    if at >= len(slots):
        return False
    el, kind, index = slots[at]
    last = elements[-1]
    if kind == "text":
        rest = el.text[index:]
        el.text = el.text[:index]
        for k, new in enumerate(elements):
            el.insert(k, new)
        last.tail = rest
    else:
        parent = el.getparent()
        rest = el.tail[index:]
        el.tail = el.tail[:index]
        at_el = parent.index(el)
        for k, new in enumerate(elements):
            parent.insert(at_el + 1 + k, new)
        last.tail = rest
    for new in elements[:-1]:
        new.tail = None
    return True


def keep_from_line(block: etree._Element, line: str) -> bool:
    """Cut ``block`` (in place) so that it begins with the laid-out line whose text is
    ``line``: what a page that opens inside the paragraph shows of it. False, leaving
    the block as it was, unless the line's text is found once in the block's, after a
    space or a dash (where a line may break), and not at an element's edge (an empty
    element there, a continuation's anchor, would be cut away with what precedes it)."""
    text, slots = text_slots(block)
    words = _normal(line).split(" ")
    # the line's last word may end in a hyphen the text does not have
    probe = " ".join(words[:-1] if len(words) > 2 else words)
    found = [m.start() for m in re.finditer(re.escape(probe), text)] if probe else []
    if len(found) != 1 or not 0 < found[0] < len(slots):
        return False
    at = found[0]
    if text[at - 1] not in BREAKS_BEFORE:
        return False
    el, kind, index = slots[at]
    if kind == "tail" and index == 0 or kind == "text" and index == 0 and el is not block:
        return False  # the line opens with an element's edge: keep what it holds
    _keep_from(block, slots[at], run_on=False)
    return True
