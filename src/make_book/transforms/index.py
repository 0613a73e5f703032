"""Index marks -> the book's indexes, collated by the book's language (ICU).

Marks (DESIGN.md section 2):

- ``[Trotsky]{.index}``: the span's text is the term
- ``[the Old Man]{index="Trotsky, Leon"}``; ``index="Trotsky, Leon!exile in Mexico"`` for a
  sub-entry
- ``index-see="Trotsky, Leon"`` (a "see" reference: the mark adds no locator, as in Chicago)
  and ``index-see-also="..."``
- ``index-start=LABEL`` on a mark and ``[]{index-end=LABEL}`` later close a passage; a fenced
  div with ``index=`` covers the whole div
- ``index-name=subject-index`` picks one of the indexes declared under ``indexes:``

Each mark gets an id so both formats can point at it: the EPUB links to it, the print edition
reads its page after layout. The mark attributes are removed from the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree

from make_book.errors import Diagnostics
from make_book.model import (
    Book,
    BookIndex,
    Chapter,
    IndexEntry,
    IndexGroup,
    Locator,
    Part,
)
from make_book.transforms.source_lines import line_in
from make_book.xhtml import Body

MARK_ATTRS = ("index", "index-see", "index-see-also", "index-name", "index-start", "index-end")
DEFAULT_INDEX = "index"
EXTRA_ALPHABETS = ("ru",)  # Cyrillic names get their own letter groups in any book
# Levels of one term (``a!b!c``): Chicago's indexes use three; each level is a nested list
# in both outputs, built by recursion, so a term of thousands of ``!`` would exhaust it.
MAX_LEVELS = 6


@dataclass
class _Node:
    term: str
    locators: list[Locator] = field(default_factory=list)
    see: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    children: dict[str, _Node] = field(default_factory=dict)


def _split(term: str) -> list[str]:
    return [p.strip() for p in term.split("!") if p.strip()]


class _Collector:
    def __init__(self, book: Book, diagnostics: Diagnostics):
        self.diagnostics = diagnostics
        self.names = [d.name for d in book.meta.indexes] or [DEFAULT_INDEX]
        self.trees: dict[str, dict[str, _Node]] = {name: {} for name in self.names}
        self.open: dict[str, tuple[Chapter, Locator, _Node]] = {}

    def node(self, index: str, path: list[str]) -> _Node:
        level = self.trees[index]
        node = None
        for part in path:
            node = level.setdefault(part, _Node(part))
            level = node.children
        return node

    def chapter(self, chapter: Chapter) -> Chapter:
        """The chapter with its index marks read and taken out, in its text and in its
        notes (a mark left in a note would reach the EPUB as an invalid ``index``
        attribute)."""
        title = chapter.title_markup
        titled = title is not None and _has_marks(title.root)
        marked = _has_marks(chapter.body.root)
        if not (marked or titled or any(_has_marks(n.body.root) for n in chapter.notes)):
            return chapter
        new_ids: set[str] = set()
        count = [0]
        if titled:
            # a mark in the heading that became the title: indexed at the heading (the
            # title is printed again in the contents, so it gets no anchor of its own)
            at = chapter.headings[0].id if chapter.headings else chapter.file_id
            chapter = chapter.evolve(title_markup=self._title_marks(chapter, title, at))
        body = chapter.body
        if marked:
            root = body.edit()
            self._tree_marks(chapter, root, count, new_ids)
            body = Body(root)
        notes = tuple(replace(n, body=self._marks(chapter, n.body, count, new_ids))
                      for n in chapter.notes)
        return chapter.evolve(body=body, notes=notes, ids=chapter.ids | new_ids)

    def _title_marks(self, chapter: Chapter, title: Body, anchor: str) -> Body:
        root = title.edit()
        for el in list(root.iter("span", "div")):
            attrs = _take_marks(el)
            if "index" in attrs:
                self.mark(chapter, el, anchor, attrs)
        return Body(root)

    def part_title(self, part: Part) -> Part:
        """A mark in a part's title is taken out (it would make the EPUB invalid) with a
        warning: a part's page has no chapter to locate it in."""
        if part.title_markup is None or not _has_marks(part.title_markup.root):
            return part
        root = part.title_markup.edit()
        dropped = [attrs["index"] for el in list(root.iter("span", "div"))
                   if "index" in (attrs := _take_marks(el))]
        for term in dropped:
            self.diagnostics.warning("C064", f"index mark '{term}' in the title of part "
                                     f"'{part.title}' is not indexed", None,
                                     hint="mark the term in the part's opening text or in "
                                          "a chapter")
        return part.evolve(title_markup=Body(root))

    def _marks(self, chapter: Chapter, fragment: Body, count: list[int],
               new_ids: set[str]) -> Body:
        """``fragment`` with its marks recorded and their attributes removed; ``count``
        numbers the chapter's marks across its text and notes."""
        if not _has_marks(fragment.root):
            return fragment
        root = fragment.edit()
        self._tree_marks(chapter, root, count, new_ids)
        return Body(root)

    def _tree_marks(self, chapter: Chapter, root: etree._Element, count: list[int],
                    new_ids: set[str]) -> None:
        """Record and take off the marks in ``root`` (changed in place)."""
        for el in list(root.iter("span", "div")):
            attrs = _take_marks(el)
            if not attrs:
                continue
            count[0] += 1
            anchor = el.get("id") or f"ix-{chapter.file_id}-{count[0]}"
            el.set("id", anchor)
            new_ids.add(anchor)
            if "index-end" in attrs:
                self.close(attrs["index-end"], anchor, chapter)
            if "index" not in attrs:
                continue
            end = self.mark(chapter, el, anchor, attrs)
            if end:
                new_ids.add(end)

    def mark(self, chapter: Chapter, el: etree._Element, anchor: str,
             attrs: dict) -> str | None:
        """Record one mark; returns the id of an end anchor it added, if any."""
        where = (chapter.source, line_in(chapter.source, attrs["index"]))
        path = _split(attrs["index"])
        name = attrs.get("index-name", self.names[0])
        if not path:
            self.diagnostics.error("C060", "index mark with an empty term", *where)
            return None
        if len(path) > MAX_LEVELS:
            self.diagnostics.error("C111", f"index term with {len(path):,} levels of "
                                   f"sub-entries; the limit is {MAX_LEVELS}", *where,
                                   hint="an index term is at most a heading, a sub-entry "
                                   "and a few levels below it, separated by !")
            return None
        if name not in self.trees:
            self.diagnostics.error("C061", f"index-name={name}: the book declares no such "
                                   "index", *where, hint="declared: " + ", ".join(self.names))
            return None
        node = self.node(name, path)
        if "index-see" in attrs:
            node.see.append(attrs["index-see"])
            return None
        if "index-see-also" in attrs:
            node.see_also.append(attrs["index-see-also"])
        end = None
        if el.tag == "div":  # a passage: the div from its first to its last line
            end_el = etree.SubElement(el, "span", {"id": f"{anchor}-end"})
            end = end_el.get("id")
        locator = Locator(chapter.file_id, anchor, end)
        if "index-start" in attrs:
            self.open[attrs["index-start"]] = (chapter, locator, node)
            return end
        node.locators.append(locator)
        return end

    def close(self, label: str, anchor: str, chapter: Chapter) -> None:
        if label not in self.open:
            self.diagnostics.error("C063", f"index-end={label} has no index-start", chapter.source,
                                   line_in(chapter.source, f"index-end={label}"))
            return
        _, start, node = self.open.pop(label)
        node.locators.append(Locator(start.file_id, start.anchor, anchor))

    def finish(self) -> None:
        for label, (chapter, locator, node) in self.open.items():
            self.diagnostics.error("C063", f"index-start={label} is never closed with "
                                   f"index-end={label}", chapter.source,
                                   line_in(chapter.source, f"index-start={label}"))
            node.locators.append(locator)


def _slug(text: str) -> str:
    out = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(filter(None, out.split("-"))) or "entry"


def collate(trees: dict[str, _Node], lang: str, index_name: str, book: Book,
            diagnostics: Diagnostics) -> tuple[IndexGroup, ...]:
    """Sorted letter groups: ICU's collation and alphabetic index for the book's language,
    so accented Latin files under its base letter and Cyrillic under its own letters."""
    import icu  # on use: without ICU the machine check says E023, not a traceback
    locale = icu.Locale(lang.replace("-", "_"))
    alphabet = icu.AlphabeticIndex(locale)
    for extra in EXTRA_ALPHABETS:
        alphabet.addLabels(icu.Locale(extra))
    collator = icu.Collator.createInstance(locale)
    used: set[str] = set()
    terms = {t.lower() for t in trees}

    def entry(node: _Node, prefix: str) -> IndexEntry:
        ident = f"{index_name}-{_slug(prefix + node.term)}"
        while ident in used:
            ident += "-x"
        used.add(ident)
        for ref in node.see + node.see_also:
            if _split(ref)[0].lower() not in terms:
                diagnostics.warning("C062", f"index cross-reference to '{ref}', which is not "
                                    "an entry", book.root / "book.yaml")
        children = sorted(node.children.values(), key=lambda n: collator.getSortKey(n.term))
        return IndexEntry(term=node.term, locators=tuple(node.locators),
                          see=tuple(dict.fromkeys(node.see)),
                          see_also=tuple(dict.fromkeys(node.see_also)),
                          subentries=tuple(entry(c, prefix + node.term + "!")
                                           for c in children), id=ident)

    for term in trees:
        alphabet.addRecord(term, term)
    groups = []
    while alphabet.nextBucket():
        if alphabet.bucketRecordCount == 0:
            continue
        label = alphabet.bucketLabel
        if alphabet.bucketLabelType != icu.UAlphabeticIndexLabelType.NORMAL:
            label = "#"
        names = []
        while alphabet.nextRecord():
            names.append(alphabet.recordData)
        names.sort(key=collator.getSortKey)
        groups.append(IndexGroup(label, tuple(entry(trees[n], "") for n in names)))
    return tuple(groups)


def _has_marks(root: etree._Element) -> bool:
    """Whether some span or div of ``root`` is an index mark (see :func:`_take_marks`)."""
    return any(any(a in el.attrib for a in MARK_ATTRS)
               or "index" in (el.get("class") or "").split()
               for el in root.iter("span", "div"))


def _take_marks(el: etree._Element) -> dict[str, str]:
    """The element's index-mark attributes, taken off it (``class="index"`` marks its own
    text)."""
    classes = (el.get("class") or "").split()
    attrs = {a: el.attrib.pop(a) for a in MARK_ATTRS if a in el.attrib}
    if "index" in classes:
        classes.remove("index")
        if classes:
            el.set("class", " ".join(classes))
        else:
            el.attrib.pop("class", None)
        attrs.setdefault("index", " ".join("".join(el.itertext()).split()))
    return attrs


def _parts_mapped(items, fn) -> tuple:
    return tuple(fn(i).evolve(items=_parts_mapped(i.items, fn)) if isinstance(i, Part) else i
                 for i in items)


def collect(book: Book, diagnostics: Diagnostics) -> Book:
    collector = _Collector(book, diagnostics)
    book = book.map_chapters(collector.chapter)
    book = book.evolve(items=_parts_mapped(book.items, collector.part_title))
    collector.finish()
    titles = {d.name: d.title for d in book.meta.indexes}
    indexes = []
    for name, tree in collector.trees.items():
        if not tree:
            continue
        indexes.append(BookIndex(name, titles.get(name),
                                 collate(tree, book.meta.lang, name, book, diagnostics)))
    return book.evolve(indexes=tuple(indexes))
