"""The generated pages' lines (credits, ISBNs, year, printing line), from BookMetadata.

One source for the EPUB and the print edition so their title and copyright pages agree.
Nothing is invented: no copyright holder is guessed; the rights statement is printed as given.
"""

from __future__ import annotations

from make_book.model import Book

CREDIT_KEYS = (("trl", "translated-by"), ("edt", "edited-by"), ("aui", "introduction-by"),
               ("ill", "illustrated-by"))
ISBN_FORMATS = (("hardcover", "hardcover"), ("paperback", "paperback"), ("epub", "EPUB"),
                ("pdf", "PDF"))


def credit_lines(book: Book, strings: dict[str, str]) -> list[str]:
    """'Translated by A and B', 'Edited by C'... in role order."""
    lines = []
    for role, key in CREDIT_KEYS:
        names = [c.name for c in book.meta.contributors if c.role == role]
        if names:
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            lines.append(f"{strings.get(key, key)} {joined}")
    return lines


def isbn_lines(book: Book) -> list[str]:
    """One line per format with its qualifier: 'ISBN 978-... (paperback)'."""
    isbn = book.meta.isbn
    if isbn is None:
        return []
    return [f"ISBN {value.display} ({label})" for key, label in ISBN_FORMATS
            if (value := getattr(isbn, key, None)) is not None]


def year(book: Book) -> int | None:
    value = book.meta.date_value
    return value.year if value else None


def printing_line(book: Book) -> str | None:
    """The number line of the current printing (Chicago 1.23): printing 1 -> '10 9 8 7 6 5
    4 3 2 1', the lowest number being this printing; ``printing:`` as text is printed as
    written. Print only: an e-book has no printings."""
    meta = book.meta
    current = getattr(meta, "current_printing", None)
    value = str(current.number) if current is not None else meta.printing
    if not value:
        return None
    if str(value).isascii() and str(value).isdigit():  # not "²": int() refuses it
        n = int(value)
        top = max(10, n + (10 - n % 10) % 10)
        return " ".join(str(i) for i in range(top, n - 1, -1))
    return str(value)


DEFAULT_REPRINT = "{ordinal} printing {year}"
_ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth",
             "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth",
             "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth", "Twentieth")


def english_ordinal(n: int) -> str:
    """'Second' for 2 (a copyright page spells small ordinals out), '21st' beyond twenty."""
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def reprint_line(book: Book, strings: dict[str, str]) -> str | None:
    """'Second printing 2025' for a reprint listed in ``printings`` (Chicago 1.22: the
    edition's date stays, the printing says when this copy was made); None for the first
    printing, whose date is the edition's."""
    current = book.meta.current_printing
    if current is None or current.number < 2 or not book.meta.printings:
        return None
    year = current.year
    fields = {"n": current.number, "ordinal": english_ordinal(current.number),
              "year": year if year is not None else ""}
    try:
        return (strings.get("printing-statement") or DEFAULT_REPRINT).format(**fields).strip()
    except (KeyError, IndexError, ValueError):  # a layout's string with other placeholders
        return DEFAULT_REPRINT.format(**fields).strip()
