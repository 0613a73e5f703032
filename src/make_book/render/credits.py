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
    """``printing: 1`` -> '10 9 8 7 6 5 4 3 2 1' (the lowest number is this printing)."""
    value = book.meta.printing
    if not value:
        return None
    if str(value).isascii() and str(value).isdigit():  # not "²": int() refuses it
        n = int(value)
        top = max(10, n + (10 - n % 10) % 10)
        return " ".join(str(i) for i in range(top, n - 1, -1))
    return str(value)
