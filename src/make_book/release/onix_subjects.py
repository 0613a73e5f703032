"""The book's subjects as ONIX carries them: ``BISAC: FIC004000``, ``THEMA: FBA`` (its qualifiers
in their own schemes) or free keywords, parsed from book.yaml's ``subject`` and labelled
for the record. Split from :mod:`make_book.release.onix`, which writes the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from make_book.config.metadata import BookMetadata
from make_book.errors import Diagnostics

THEMA_QUALIFIER_SCHEMES = {"1": "94", "2": "95", "3": "96", "4": "97", "5": "98", "6": "99"}


@dataclass(frozen=True)
class Subject:
    scheme: str  # ONIX code list 27
    code: str | None = None
    heading: str | None = None


_PREFIXED = re.compile(r"\s*(BISAC|THEMA)\s*:\s*(\S+)(?:\s+(.+?))?\s*", re.I)


def parse_subject(text: str) -> Subject | str | None:
    """A coded subject; None for free text; a message (str) for a code of the wrong shape."""
    m = _PREFIXED.fullmatch(text)
    if not m:
        return None
    scheme, code, heading = m[1].upper(), m[2].upper(), m[3]
    if scheme == "BISAC":
        if not re.fullmatch(r"[A-Z]{3}[0-9]{6}", code):
            return f"'{m[2]}' is not a BISAC code (three letters and six digits, e.g. HIS032000)"
        return Subject("10", code, heading)
    if re.fullmatch(r"[A-Z][A-Z0-9]{0,7}", code):
        return Subject("93", code, heading)
    if re.fullmatch(r"[1-6][A-Z0-9]*(?:-[A-Z0-9]+)*", code):
        return Subject(THEMA_QUALIFIER_SCHEMES[code[0]], code, heading)
    return f"'{m[2]}' is not a Thema code (e.g. NHD, or a qualifier such as 1DTA)"


def subjects(meta: BookMetadata, diagnostics: Diagnostics, where: Path | None
             ) -> list[tuple[Subject, bool]]:
    """(subject, is main subject) in book.yaml's order, keywords last."""
    coded: list[tuple[Subject, bool]] = []
    words: list[str] = []
    mains: set[str] = set()
    for text in meta.subject:
        parsed = parse_subject(text)
        if isinstance(parsed, str):
            diagnostics.error("R022", f"subject {parsed}", where,
                              hint="write BISAC:HIS032000 or THEMA:NHD, or plain text")
        elif parsed is None:
            words.append(text)
        else:
            main = parsed.scheme in ("10", "93") and parsed.scheme not in mains
            mains.add(parsed.scheme)
            coded.append((parsed, main))
    words += [k for k in meta.keywords if k not in words]
    if words:
        coded.append((Subject("20", None, "; ".join(words)), False))
    return coded


def subject_label(text: str) -> str:
    """How a subject reads in the EPUB and PDF: its heading (or code), without the prefix."""
    parsed = parse_subject(text)
    if isinstance(parsed, Subject):
        return parsed.heading or parsed.code or text
    return text
