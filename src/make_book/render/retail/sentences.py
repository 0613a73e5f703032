"""Sentence segments of a text, by ICU's sentence break rules for the text's language.

Kobo's reader keeps the reading position and highlights by sentence spans. kepubify splits
text with a regular expression after ``.!?:`` (so "Mr. Smith" is two sentences and a
sentence ending in a closing guillemet or a Russian ellipsis is missed); ICU knows each
language's punctuation and, with the ``ss=standard`` locale keyword, its common
abbreviations (English "Mr.", "Mrs.", "p.m."; not every one: "Dr." ends a sentence).
"""

from __future__ import annotations

from functools import lru_cache

import icu


@lru_cache(maxsize=64)
def _breaker(lang: str) -> icu.BreakIterator:
    tag = (lang or "und").replace("_", "-")  # BCP 47, as the documents' lang attributes
    return icu.BreakIterator.createSentenceInstance(
        icu.Locale.forLanguageTag(f"{tag}-u-ss-standard"))


def _python_offsets(text: str) -> list[int] | None:
    """UTF-16 offset -> Python index, when the text has characters outside the BMP (ICU
    counts those as two units); None when the offsets are the same."""
    if text.isascii() or all(ord(c) < 0x10000 for c in text):
        return None
    out = []
    for index, char in enumerate(text):
        out.append(index)
        if ord(char) >= 0x10000:
            out.append(index)
    out.append(len(text))
    return out


def sentences(text: str, lang: str) -> list[str]:
    """``text`` cut at sentence boundaries; the pieces join back to ``text`` exactly."""
    if not text:
        return []
    breaker = _breaker(lang)
    breaker.setText(text)
    ends = list(breaker)
    mapping = _python_offsets(text)
    if mapping is not None:
        ends = [mapping[e] for e in ends]
    out, start = [], 0
    for end in ends:
        if end > start:
            out.append(text[start:end])
            start = end
    if start < len(text):
        out.append(text[start:])
    return out
