"""Smart typography: the quotation marks, dashes, ellipses and spaces of the text's language.

Manuscripts are typed on keyboards that have one straight quote, one hyphen and no ellipsis;
a printed book has the marks its language uses (TYPOGRAPHY.md, "Text details"). Each rule
below is a pure function over a string, commented with its typographic reason (as Standard
Ebooks' ``se`` does); :func:`smarten_tree` applies them to the text nodes of a chapter in
document order, carrying the context a rule needs across inline elements, so that
``"<em>x</em>"`` gets an opening and a closing mark.

Choices, so that the output is predictable:

- The *primary* language subtag decides (``de-AT`` -> German, ``ru-Latn`` -> Russian): the
  marks belong to the language of the words they enclose, whatever their script. Languages
  without a table here get English marks.
- Russian: ``"`` -> « », ``'`` -> „ “ (the nested pair; a ``'`` inside a word stays an
  apostrophe ’). Authors type ``'`` for the inner level, so that is where „ “ come from.
- Already typeset text (curly quotes, dashes, ``…``, word joiners) is left as it is, and
  smartening twice gives the same result as once.
- Text inside ``code``, ``pre``, ``kbd``, ``samp``, ``script`` and ``style`` and all
  attribute values are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

__all__ = [
    "apostrophes", "curl_quotes", "dashes", "ellipses", "french_spacing",
    "smarten_text", "smarten_tree", "style_for",
]

NNBSP = "\u202f"  # narrow no-break space: French « », ; ! ?
NBSP = "\u00a0"   # no-break space: French : and …

# Format characters with no shape of their own (word joiner, ZWJ, ZWNJ, BOM, soft hyphen):
# SE puts word joiners beside em dashes, and "the character before a quote" must see
# through them to the dash.
_TRANSPARENT = "\u2060\u200d\u200c\ufeff\u00ad"

# After one of these, a straight quote opens (besides start of text and whitespace): an
# opening bracket, a dash or slash introducing the quotation, or another opening mark.
_COMMON_OPENERS = "([{<\u2014\u2013\u2012\u2015\u2010-/"

# A quote followed by one of these (or by whitespace, or by nothing) can close.
_CLOSING_NEXT = frozenset(".,;:!?)]}…\u2014\u2013-\"'”’»›“‘")


@dataclass(frozen=True, slots=True)
class Style:
    """The marks of one language."""

    lang: str
    double: tuple[str, str]
    single: tuple[str, str]
    openers: frozenset[str]
    french: bool = False  # French spacing rules (narrow no-break spaces)


STYLES: dict[str, Style] = {
    # English: “double” outside, ‘single’ inside; ’ is also the apostrophe.
    "en": Style("en", ("“", "”"), ("‘", "’"), frozenset(_COMMON_OPENERS + "“‘„‚«‹")),
    # German: „unten“ and ‚unten‘; » « (Swiss/book style) also open with ».
    "de": Style("de", ("„", "“"), ("‚", "‘"), frozenset(_COMMON_OPENERS + "„‚»›")),
    # French: « guillemets » with narrow no-break spaces inside, ‹ › nested.
    "fr": Style("fr", ("«", "»"), ("‹", "›"), frozenset(_COMMON_OPENERS + "«‹“‘„‚"),
                french=True),
    # Russian: «ёлочки» outside, „лапки“ nested.
    "ru": Style("ru", ("«", "»"), ("„", "“"), frozenset(_COMMON_OPENERS + "«„‹‚")),
}


def style_for(lang: str | None) -> Style:
    """The style of a BCP 47 tag: its primary subtag decides; unknown -> English."""
    if not lang:
        return STYLES["en"]
    primary = lang.strip().replace("_", "-").split("-", 1)[0].lower()
    return STYLES.get(primary, STYLES["en"])


# --------------------------------------------------------------------------- rules


def dashes(text: str) -> str:
    """``---`` -> em dash (a break in the sentence, set closed in US style) and ``--`` -> en
    dash (ranges, pp. 123--25). A single hyphen is left alone: ``1936-38`` may be a
    catalogue number or a compound, and only the author knows it is a range."""
    if "--" not in text:
        return text
    return text.replace("---", "—").replace("--", "–")


def ellipses(text: str) -> str:
    """``...`` -> ``…``: one character, so the three points never break across lines and
    keep the font's spacing. (French spacing before it: :func:`french_spacing`.)"""
    if "..." not in text:
        return text
    return text.replace("...", "…")


# ’ inside a word (don't, O'Brien, l'homme, д'Артаньян), before a clipped year ('90s, '68)
# and in the common elisions ('tis, 'twas, 'em): all are apostrophes, never opening quotes,
# although the last two follow a space like an opening quote would.
_APOSTROPHE_RE = re.compile(
    r"(?<=\w)'(?=\w)"
    r"|(?<![\w'’‘])'(?=\d\d(?!\d)|(?i:tis|twas|twere|twill)(?!\w)|em(?!\w))")
# rock 'n' roll: both marks stand for omitted letters.
_N_RE = re.compile(r"(?<![\w'’‘])'n'(?![\w'’‘])")


def apostrophes(text: str) -> str:
    """Straight ``'`` that can only be apostrophes -> ’ (don't, '90s, rock 'n' roll). The
    apostrophe is ’ in every language here, even German, whose closing single quote is ‘:
    so this runs before quotes are paired. Other ``'`` are left for :func:`curl_quotes`."""
    if "'" not in text:
        return text
    return _APOSTROPHE_RE.sub("’", _N_RE.sub("’n’", text))


class _QuoteState:
    """Open quotes in the current block, carried across text nodes."""

    __slots__ = ("double", "single")

    def __init__(self) -> None:
        self.double = 0
        self.single = 0


def _opening_context(prev: str, style: Style) -> bool:
    return prev == "" or prev.isspace() or prev in style.openers


def _can_close_before(nxt: str) -> bool:
    return nxt == "" or nxt.isspace() or nxt in _CLOSING_NEXT


_STRAIGHT_RE = re.compile("[\"']")


def _curl(text: str, style: Style, before: str, after: str, state: _QuoteState) -> str:
    """Pair straight quotes (see :func:`curl_quotes`), with the character before the text
    and after it (from neighbouring text nodes) and the quotes left open so far."""
    if '"' not in text and "'" not in text:
        return text
    out: list[str] = []
    pos = 0
    prev = before
    for m in _STRAIGHT_RE.finditer(text):
        i = m.start()
        if i > pos:
            seg = text[pos:i]
            out.append(seg)
            seg = seg.rstrip(_TRANSPARENT)
            if seg:
                prev = seg[-1]
        nxt = text[i + 1] if i + 1 < len(text) else after
        if nxt and nxt in _TRANSPARENT:
            nxt = text[i + 1:].lstrip(_TRANSPARENT)[:1] or after
        if m.group() == '"':
            mark = _double(prev, nxt, style, state)
        else:
            mark = _single(prev, nxt, style, state)
        out.append(mark)
        prev = mark
        pos = i + 1
    out.append(text[pos:])
    return "".join(out)


def _double(prev: str, nxt: str, style: Style, state: _QuoteState) -> str:
    # Opens after a space, an opening bracket, a dash or another opening mark; closes after
    # anything else. A quote with space on both sides closes only if one is open (French
    # authors type " Bonjour " with the spaces of « Bonjour »).
    if _opening_context(prev, style):
        opens = not (state.double > 0 and _can_close_before(nxt))
    else:
        # after a word or punctuation it closes, unless nothing is open and a word follows
        # (said:"Hi" -> an opening mark)
        opens = state.double == 0 and nxt.isalnum()
    if opens:
        state.double += 1
        return style.double[0]
    state.double = max(0, state.double - 1)
    return style.double[1]


def _single(prev: str, nxt: str, style: Style, state: _QuoteState) -> str:
    # Between letters it is an apostrophe (already handled by apostrophes() in a word).
    if prev.isalnum() and nxt.isalnum():
        return "’"
    if _opening_context(prev, style):
        if state.single > 0 and _can_close_before(nxt):
            state.single -= 1
            return style.single[1]
        state.single += 1
        return style.single[0]
    if state.single > 0:
        state.single -= 1
        return style.single[1]
    if not prev.isalnum() and nxt.isalnum():  # ."'Tis -> after punctuation, opening
        state.single += 1
        return style.single[0]
    # After a word with no single quote open: the workers' rights. An apostrophe, which in
    # German is ’ although the closing single quote is ‘.
    return "’"


def curl_quotes(text: str, lang: str = "en") -> str:
    """Straight ``"`` and ``'`` -> the language's curly marks. A quote opens at the start,
    after whitespace, an opening bracket, a dash or an opening mark, and closes otherwise:
    the reader must see at a glance where a quotation starts and ends."""
    return _curl(apostrophes(text), style_for(lang), "", "", _QuoteState())


_FR_MARKS_RE = re.compile("[;:!?…«»‹›]")
_FR_SPACE_BEFORE = {";": NNBSP, "!": NNBSP, "?": NNBSP, "»": NNBSP, "›": NNBSP,
                    ":": NBSP, "…": NBSP}
_FR_HIGH = frozenset(";:!?")
_FR_OPENING = frozenset("([{«‹")
_FR_FOLLOWERS = frozenset(".,;:!?…»›)]}\"'”’“‘-\u2013\u2014")


def french_spacing(text: str, before: str = "", after: str = "") -> str:
    """French spaces: a narrow no-break space inside « » and ‹ › and before ; ! ?, a
    no-break space before : and before … (house style). They keep a mark from starting a
    line, and French sets them where English sets none. A normal space there is replaced;
    where there is none one is added, but not in ``10:30``, URLs or ``?!`` (one space before
    the group) nor after an opening bracket, as in ``(?)``. ``before``/``after`` are the
    characters just outside the text (neighbouring text nodes)."""
    if _FR_MARKS_RE.search(text) is None and not (text[:1] == " " and before in ("«", "‹")):
        return text
    buf = list(text)
    n = len(text)
    if text[:1] == " " and before in ("«", "‹"):
        buf[0] = NNBSP
    for m in _FR_MARKS_RE.finditer(text):
        i = m.start()
        ch = text[i]
        if ch in "«‹":
            nxt = text[i + 1] if i + 1 < n else after
            if i + 1 < n and nxt == " ":
                buf[i + 1] = NNBSP
            elif nxt and not nxt.isspace() and nxt not in "»›":
                buf[i] = ch + NNBSP
            continue
        prev = text[i - 1] if i > 0 else before
        if prev == "" or prev in _FR_OPENING or (prev.isspace() and prev != " "):
            continue
        if ch in _FR_HIGH:
            if prev in _FR_HIGH:
                continue  # ?! and !!! take one space, before the group
            nxt = text[i + 1] if i + 1 < n else after
            if not (nxt == "" or nxt.isspace() or nxt in _FR_FOLLOWERS):
                continue  # 10:30, http://, a?b: not punctuation of the sentence
        space = _FR_SPACE_BEFORE[ch]
        if prev == " ":
            if i > 0:
                buf[i - 1] = space
            # a space at the end of the previous text node is left as it is
        else:
            buf[i] = space + buf[i]
    return "".join(buf)


# --------------------------------------------------------------------------- driver

_TRIGGER_RE = re.compile(r"[\"']|--|\.\.\.")
_TRIGGER_FR_RE = re.compile(r"[\"';:!?…«»‹›]|--|\.\.\.")


def _smarten(text: str, style: Style, before: str, after: str, state: _QuoteState) -> str:
    if style.french:
        if _TRIGGER_FR_RE.search(text) is None and not (
                text[:1] == " " and before in ("«", "‹")):
            return text
    elif _TRIGGER_RE.search(text) is None:
        return text
    # Order matters: dashes and ellipses first, so a quote after "--" sees a dash; then
    # apostrophes, so that quote pairing never takes don't for a closing quote; spacing
    # last, around the marks the quotes became.
    text = apostrophes(ellipses(dashes(text)))
    text = _curl(text, style, before, after, state)
    if style.french:
        text = french_spacing(text, before, after)
    return text


def smarten_text(text: str, lang: str) -> str:
    """Smarten a plain string (a title, a metadata value) in the given language."""
    return _smarten(text, style_for(lang), "", "", _QuoteState())


PROTECTED = frozenset({"code", "pre", "kbd", "samp", "script", "style", "math"})  # math: TeX
# Inline elements continue the text around them; any other element starts a new block,
# where no quote is open and the previous character is "start of text".
INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i",
    "img", "ins", "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "sup", "time", "u", "var", "wbr", "label", "math",
})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BREAK = None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if tag[:1] == "{" else tag


def _style_of(el: etree._Element, inherited: Style) -> Style:
    lang = el.get(_XML_LANG)
    if lang is None:
        lang = el.get("lang")
    return inherited if lang is None else style_for(lang)


def _collect(root: etree._Element, style: Style) -> list:
    """Text slots in document order: [element, is_tail, style, frozen, text], with _BREAK at
    block boundaries. Frozen slots (code, line breaks) give context but are not changed."""
    slots: list = [_BREAK]
    style = _style_of(root, style)
    if root.text:
        slots.append([root, False, style, False, root.text])
    stack = [(root, style, iter(root))]
    while stack:
        el, st, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:
                if _local(el.tag) not in INLINE:
                    slots.append(_BREAK)
                if el.tail:
                    slots.append([el, True, stack[-1][1], False, el.tail])
            continue
        if not isinstance(child.tag, str):  # comment or processing instruction
            if child.tail:
                slots.append([child, True, st, False, child.tail])
            continue
        name = _local(child.tag)
        child_style = _style_of(child, st)
        inline = name in INLINE
        if not inline:
            slots.append(_BREAK)
        if name in PROTECTED:
            slots.append([child, False, child_style, True, "".join(child.itertext())])
            if not inline:
                slots.append(_BREAK)
            if child.tail:
                slots.append([child, True, st, False, child.tail])
            continue
        if name == "br":
            slots.append([child, False, st, True, "\n"])  # a line break is whitespace
        if child.text:
            slots.append([child, False, child_style, False, child.text])
        stack.append((child, child_style, iter(child)))
    return slots


def smarten_tree(root: etree._Element, lang: str) -> None:
    """Smarten every text node under ``root`` in place; ``lang`` is the book's language,
    overridden by ``lang``/``xml:lang`` attributes on the way down. ``root.tail`` (outside
    the chapter) is left alone."""
    slots = _collect(root, style_for(lang))
    # the first visible character after each slot, within its block
    afters: list[str] = [""] * len(slots)
    nxt = ""
    for k in range(len(slots) - 1, -1, -1):
        slot = slots[k]
        if slot is _BREAK:
            nxt = ""
            continue
        afters[k] = nxt
        head = slot[4].lstrip(_TRANSPARENT)
        if head:
            nxt = head[0]
    before = ""
    state = _QuoteState()
    for k, slot in enumerate(slots):
        if slot is _BREAK:
            before = ""
            state = _QuoteState()
            continue
        el, is_tail, style, frozen, text = slot
        if not frozen:
            new = _smarten(text, style, before, afters[k], state)
            if new != text:
                if is_tail:
                    el.tail = new
                else:
                    el.text = new
                text = new
        tail = text.rstrip(_TRANSPARENT)
        if tail:
            before = tail[-1]
