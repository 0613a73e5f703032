"""A chapter's fragments as print HTML: a copy of each tree through print's steps
(:func:`make_book.transforms.for_format`). What is the print renderer's own is here, as the
repairs the steps call at their place (:class:`Repairs`): each top-level block marked for the
EPUB's print page-list and for the repairs that move it, figures floated on, split
footnotes cut into parts and their continuations hung on their pages' lines."""

from __future__ import annotations

from lxml import etree
from markupsafe import Markup

from make_book import transforms
from make_book.layouts.superiors import superior_characters
from make_book.model import Chapter
from make_book.render.print import floats as pdf_floats
from make_book.render.print import note_splits
from make_book.render.print.html import BLOCK_ATTR, BREAK_CLASS, Context
from make_book.render.serialise import serialise
from make_book.transforms.format_context import PrintContext
from make_book.xhtml import Body, add_class


class Repairs:
    """The print renderer's repairs to one chapter (see ``PrintRepairs``)."""

    def __init__(self, ctx: Context, chapter: Chapter):
        self.ctx = ctx
        self.chapter = chapter
        self.marking = False  # True while converting the chapter's body
        # continuations of split notes: (split, part k, part span), hung after the notes
        self.continued: list[tuple[note_splits.NoteSplit, int, etree._Element]] = []

    def mark_blocks(self, root: etree._Element) -> None:
        """The k-th top-level block, for the EPUB's print page-list; figures that did not
        fit moved on."""
        if not self.marking:
            return
        for k, block in enumerate(root):
            mark = f"{self.chapter.file_id}:{k}"
            block.set(BLOCK_ATTR, mark)
            if mark in self.ctx.break_marks:  # keeps a footnote on its call's page
                add_class(block, BREAK_CLASS)
        pdf_floats.place_floats(root, self.ctx.floats)

    def cut_footnote(self, note_id: str, span: etree._Element) -> etree._Element:
        """A footnote the renderer split: its first part, the rest kept to hang."""
        split = self.ctx.splits.get(note_id)
        if split is None:
            return span
        span, *rest = note_splits.note_parts(span, split.cuts)
        for k, part in enumerate(rest, 1):
            part.set("id", split.part_id(k))
            part.set("class", f"mb-footnote {note_splits.CONT_CLASS}")
            self.continued.append((split, k, part))
        return span

    def hang_continuations(self, root: etree._Element) -> None:
        """Each continuation of a split note goes on the line its page opens with (an
        empty anchor before it, for the check that it landed there); one whose page is
        not known yet, or whose line is not found, is left out until the renderer
        places it."""
        if not self.marking:
            return
        blocks = {b.get(BLOCK_ATTR): b for b in root}
        for split, k, part in self.continued:
            where = split.anchors[k - 1]
            if where is not None and where[0] == note_splits.run_over_mark(self.chapter.file_id):
                # past the chapter's text: an empty line on a page of its own carries it
                block = etree.SubElement(root, "div", {"class": note_splits.RUN_OVER_CLASS})
                block.text = "\u00a0"
            else:
                block = blocks.get(where[0]) if where else None
            if block is None:
                continue
            anchor = etree.Element("span", {"class": "mb-noteanchor",
                                            "id": split.anchor_id(k)})
            if note_splits.hang_on_line(block, where[1], [anchor, part], where[2]):
                self.ctx.note_calls[split.part_id(k)] = (anchor.get("id"),
                                                         self.chapter.file_id)
        self.continued = []


class BodyConverter:
    """One chapter's fragments -> print HTML trees (serialised by the sections)."""

    def __init__(self, ctx: Context, chapter: Chapter):
        self.repairs = Repairs(ctx, chapter)
        self.steps = PrintContext(
            ctx.book, chapter, ctx.diagnostics, ctx.geometry,
            superior_characters(ctx.layout), ctx.notes_mode, ctx.endnote_ids, ctx.page_map,
            self.repairs, ctx.note_calls, ctx.pageref_targets)

    def convert(self, fragment: Body, mark_blocks: bool = False,
                kind: str = "body") -> etree._Element:
        """The print markup of a copy of ``fragment`` (a chapter's body, ``kind`` "body",
        or a title's markup, "title")."""
        self.repairs.marking = mark_blocks
        return transforms.for_format(kind, "print", self.steps, fragment.edit())

    def endnotes_html(self) -> list[dict]:
        """The notes set at the chapter's end, in number order."""
        out = []
        for number in sorted(self.steps.endnotes):
            note = self.steps.chapter.notes[number - 1]
            self.steps.note = note
            root = transforms.for_format("endnote", "print", self.steps, note.body.edit())
            out.append({"id": note.id, "number": number, "html": Markup(serialise(root, "print"))})
        return out
