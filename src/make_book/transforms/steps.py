"""What a step of :data:`make_book.transforms.PIPELINE` is: what it runs, why it sits where
it does, and for which formats and which fragments it runs (as Sphinx's post-transforms
declare their builders).

A book step (``fragments`` empty) takes a ``Book`` and diagnostics and returns a new
``Book``: it runs once, for every format. A tree step takes a fragment's tree (a copy the
renderer made) and the format's context (:mod:`.format_context`) and changes the tree in
place: the difference between EPUB and print is a list of such steps, not branches inside a
converter. An index, the contents and the list of illustrations are a template's data
rather than a tree, so their fragments ("index", "contents", "illustrations") are that
data (:mod:`.index_view`, :mod:`.contents_view`), changed in place the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

FORMATS = ("epub", "print")
# the fragments a tree step may run on: a chapter's (or a part opening's) body, a chapter's
# or part's title, a note's text in the EPUB, a note set at the end of a printed chapter;
# an index's template data (transforms.index_view), whose locators differ by format; the
# contents and the list of illustrations (transforms.contents_view)
FRAGMENTS = ("body", "title", "note", "endnote", "index", "contents", "illustrations")


@dataclass(frozen=True)
class Step:
    run: Callable
    why: str
    formats: tuple[str, ...] = FORMATS
    fragments: tuple[str, ...] = ()  # empty: a book step

    @property
    def on_tree(self) -> bool:
        return bool(self.fragments)

    def applies(self, fragment: str, fmt: str) -> bool:
        return fmt in self.formats and fragment in self.fragments
