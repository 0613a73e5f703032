"""The catalogue's names for its books: one slug per book folder, unique among its books.

A book's outputs live under ``<out>/<slug>/<slug>.*``, so two books with one slug would
write the same files and the second would silently replace the first. The slug comes from
the folder's name (``manuscript/<slug>/``, the contract of DESIGN.md), never from
book.yaml: a folder name is already unique on disk, a value in book.yaml could copy
another book's on purpose or by a copy-and-paste, and a reader of the catalogue sees the
folder. Folder names that differ only in case or punctuation (``the-book``, ``the_book``,
``The Book``) still give one slug: that is reported (``B040``) for every run that sees
both, naming both folders, and neither is built.

Non-Latin names are transliterated with ICU (``Братья Карамазовы`` gives
``brat-a-karamazovy``) instead of all collapsing into one fallback; a name with nothing to
transliterate (only symbols) gets ``book-`` and a digest of the name, unique and stable.
Heading ids have their own rules (:func:`make_book.manuscript.chapter.slugify`) and are not
affected.

Codes: B040 two book folders give one slug.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from make_book.errors import Diagnostic, error

MAX_SLUG = 80  # the slug names a folder and files (`<slug>-print.pdf`): well under 255 bytes
_NOT_SLUG_RE = re.compile(r"[^a-z0-9]+")
_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners are parts of words in some scripts


@cache
def _transliterator():
    import icu  # on use: without ICU the machine check says E023, not a traceback
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def book_slug(name: str) -> str:
    """The slug of a book folder called ``name``: lowercase ASCII letters and digits joined
    by hyphens, at most :data:`MAX_SLUG` characters. ASCII names give what they always
    gave (``The_Book 2`` -> ``the-book-2``)."""
    # a control character or any space separates words, as an ASCII one does (the
    # transliteration would drop it and join them)
    name = "".join(" " if unicodedata.category(c)[0] in "CZ" and c not in _JOINERS else c
                   for c in unicodedata.normalize("NFC", name))
    latin = name if name.isascii() else _transliterator().transliterate(name)
    ascii_text = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG_RE.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[:MAX_SLUG]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG // 2:] else cut).strip("-")
    if not slug:
        slug = "book-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return slug


def root_slug(root: Path) -> str:
    """The slug of a book folder as given (``.``, a symlink): named after what it is."""
    return book_slug(root.resolve().name)


def _siblings(root: Path) -> list[Path]:
    """The other books of the folder holding ``root`` (its catalogue), so building one book
    alone still sees them; what cannot be listed or read has none to clash with."""
    def is_book(entry: Path) -> bool:
        try:
            return (entry / "book.yaml").is_file()
        except OSError:  # no permission to look inside
            return False
    try:
        return [p for p in root.parent.iterdir() if p != root and is_book(p)]
    except OSError:
        return []


def slug_clashes(roots: Iterable[Path]) -> dict[Path, Diagnostic]:
    """For each of ``roots`` (book folders) whose slug another book of the run or of its
    own catalogue folder shares: a B040 error naming both folders, at its book.yaml."""
    given = {r.resolve(): None for r in roots}
    seen: dict[Path, None] = dict(given)
    for root in given:
        for sibling in _siblings(root):
            seen.setdefault(sibling.resolve(), None)
    by_slug: dict[str, list[Path]] = {}
    for folder in seen:
        by_slug.setdefault(book_slug(folder.name), []).append(folder)
    clashes: dict[Path, Diagnostic] = {}
    for slug, folders in by_slug.items():
        if len(folders) < 2:
            continue
        for root in folders:
            if root not in given:
                continue
            others = ", ".join(f"'{_named(o, root)}'" for o in folders if o != root)
            clashes[root] = error(
                "B040", f"book folders '{_named(root, root)}' and {others} both give the "
                f"slug '{slug}', so their outputs would replace each other's",
                root / "book.yaml",
                hint="rename one of the folders (a slug is the folder's name in lowercase "
                     "ASCII letters, digits and hyphens); until then neither is built")
    return clashes


def _named(folder: Path, beside: Path) -> str:
    """A folder by its name when it sits beside the other, else by its full path."""
    return folder.name if folder.parent == beside.parent else str(folder)
