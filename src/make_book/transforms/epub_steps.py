"""What the EPUB makes of a fragment's tree: pop-up noterefs, links into the right file,
image paths from the text folder, section breaks and table headers as reading systems
announce them, glossary semantics, and a note's back link."""

from __future__ import annotations

from lxml import etree

from make_book.model import Book
from make_book.transforms.format_context import EpubContext
from make_book.xhtml import EPUB_TYPE


def place(book: Book, note_files: dict[str, str], target: str, *,
          to_note: bool) -> tuple[str, str | None, str | None]:
    """Where ``target`` is in the EPUB: the id to link to, the file_id of the chapter that
    holds it, and the back-matter notes file it is in (``epub-notes: book``), else None.
    For an id inside a note, ``to_note`` chooses: a link in the text goes to the note, an
    index locator (``to_note=False``) to the mark itself, which keeps its id there."""
    note = book.in_notes.get(target)
    if note is not None and to_note:
        target = note
    owner = book.anchors.get(target)
    return target, owner, note_files.get(owner) if note is not None else None


def href(ctx: EpubContext, target: str) -> str:
    """Where a link to ``target`` goes from this chapter's file (or its notes' file)."""
    target, owner, notes_file = place(ctx.book, ctx.note_files, target, to_note=True)
    if notes_file is not None:
        return f"{notes_file}#{target}"
    if owner is None or (owner == ctx.chapter.file_id and ctx.local):
        return f"#{target}"
    if owner == target and owner in ctx.files:  # a part or a chapter's own id
        return ctx.files[owner]
    return f"{ctx.files[owner]}#{target}"


def noterefs(root: etree._Element, ctx: EpubContext) -> None:
    """Each note call a numbered ``doc-noteref`` link to its note (a pop-up footnote in
    reading systems that have them); a second call of one note gets an id of its own."""
    notes = ctx.chapter.notes
    for call in root.xpath(".//a[@class='mb-noteref']"):
        number = int(call.get("data-note"))
        note = notes[number - 1]
        seen = ctx.calls.get(number, 0)
        ctx.calls[number] = seen + 1
        sup = etree.Element("sup", {"class": "noteref"})
        sup.tail = call.tail
        a = etree.SubElement(sup, "a", {
            "id": note.ref_id if not seen else f"{note.ref_id}-{seen + 1}",
            "href": f"{ctx.notes_file or ''}#{note.id}", "role": "doc-noteref",
            EPUB_TYPE: "noteref"})
        a.text = str(number)
        call.getparent().replace(call, sup)


def links(root: etree._Element, ctx: EpubContext) -> None:
    """Internal links into the file that holds their target; an empty page reference
    shows its target's label (an EPUB has no page numbers)."""
    for a in root.iter("a"):
        target = a.get("href") or ""
        a.attrib.pop("prefix", None)  # print-only: "p. " before a page number
        if target.startswith("#") and a.get("role") != "doc-noteref":
            a.set("href", href(ctx, target[1:]))
            if not len(a) and not (a.text or "").strip():  # e.g. [](#id){.pageref}
                a.text = ctx.book.labels.get(target[1:], target[1:])


def images(root: etree._Element, ctx: EpubContext) -> None:
    """Image paths from the text folder; the image's own size as its attributes."""
    for img in root.iter("img"):
        img.set("src", "../" + img.get("src", ""))
        for dim in ("width", "height"):
            value = img.attrib.pop(f"data-{dim}", None)
            if value and not img.get(dim):
                img.set(dim, value)


def section_breaks(root: etree._Element, ctx: EpubContext) -> None:
    for hr in root.iter("hr"):
        hr.set("class", " ".join(filter(None, [hr.get("class"), "section-break"])))


def table_headers(root: etree._Element, ctx: EpubContext) -> None:
    """An empty corner cell heads nothing: as a header it is a cell screen readers announce
    with no name (axe's empty-table-header). Column headers say so."""
    for th in root.xpath(".//th"):
        if not "".join(th.itertext()).strip() and not len(th):
            th.tag = "td"
            th.attrib.pop("scope", None)
    for th in root.xpath(".//thead//th"):
        th.set("scope", th.get("scope", "col"))


def glossary(root: etree._Element, ctx: EpubContext) -> None:
    if ctx.chapter.kind != "glossary":
        return
    for dt in root.iter("dt"):
        dt.set(EPUB_TYPE, "glossterm")
    for dd in root.iter("dd"):
        dd.set(EPUB_TYPE, "glossdef")


def note_backlink(root: etree._Element, ctx: EpubContext) -> None:
    """The note's number, a link back to its call, leading its first paragraph."""
    note = ctx.note
    here = ctx.files[ctx.chapter.file_id] if ctx.notes_file else ""
    back = etree.Element("a", {"href": f"{here}#{note.ref_id}", "role": "doc-backlink",
                               "class": "note-number",
                               "aria-label": f"{ctx.strings['back-to-text']} {note.number}"})
    back.text = f"{note.number}."
    first = root[0] if len(root) and root[0].tag == "p" and not (root.text or "").strip() \
        else None
    if first is None:
        first = etree.Element("p")
        first.text, root.text = root.text, None
        root.insert(0, first)
    back.tail = " " + (first.text or "")
    first.text = None
    first.insert(0, back)
