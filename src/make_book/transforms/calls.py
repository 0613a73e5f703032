"""Note calls and superscripts in the text: never the first thing on a line, and set as
the font's true superiors where it has them (steps for both formats).

- A call or a superscript that follows a word (``arrangement.¹``, ``results^A1.1^``) is
  joined to it with a word joiner (U+2060), so no line breaks between them and no call
  stands alone at the start of a line, in print and in any reading system.
- Calls and superscripts made only of characters the layout's text font draws as
  superiors (layouts/superiors.py) get the attribute ``data-sups`` (an attribute, so
  that code matching their class is not disturbed): the print stylesheet sets them with
  ``font-variant-position: super``; the others stay smaller raised characters.
"""

from __future__ import annotations

from lxml import etree

WORD_JOINER = "\u2060"
SUPERIOR_ATTR = "data-sups"

__all__ = ["SUPERIOR_ATTR", "WORD_JOINER", "is_superior", "join_calls", "join_to_word",
           "mark_superiors"]


def _before(element: etree._Element) -> str:
    """The text right before ``element``: its previous sibling's tail, or that sibling's
    own text when it has no tail (``<em>word</em><sup>``), or the parent's text."""
    previous = element.getprevious()
    if previous is None:
        return element.getparent().text or ""
    return previous.tail or "".join(previous.itertext())


def join_to_word(calls: list[etree._Element]) -> None:
    """A word joiner between each call and the word it follows; a call after a space or
    at the start of an element is left alone, as is one already joined."""
    for call in calls:
        parent = call.getparent()
        if parent is None:
            continue
        text = _before(call)
        if not text or text[-1].isspace() or text.endswith(WORD_JOINER):
            continue
        previous = call.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + WORD_JOINER
        else:
            parent.text = text + WORD_JOINER


def join_calls(root: etree._Element, context=None) -> None:
    """Every note call and superscript in ``root`` joined to the word it follows."""
    join_to_word(root.xpath(".//a[@class='mb-noteref'] | .//sup"))


def is_superior(text: str, superiors: frozenset[str]) -> bool:
    return bool(text) and all(char in superiors for char in text)


def mark_superiors(elements: list[etree._Element], superiors: frozenset[str],
                   text_of=None) -> None:
    """Mark each element whose text (or ``text_of(element)``) the font sets whole as
    superiors."""
    for element in elements:
        text = text_of(element) if text_of else "".join(element.itertext())
        if is_superior(text.strip(), superiors):
            element.set(SUPERIOR_ATTR, "")
