"""A chapter's headings: its title taken from the tree, Pandoc's identifiers given to each
heading, levels made relative to the title, and the :class:`Heading` entries of the
contents and the running heads."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from make_book.manuscript.mathml import tex_source
from make_book.manuscript.tree import drop_keeping_tail, in_code
from make_book.markup import heading_refs
from make_book.markup.identifiers import BookIds
from make_book.model import Heading


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


_SMART_RE = re.compile(r"-{2,3}|\.\.\.")  # Pandoc's smart dashes and ellipsis


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "section"


def plain(el: etree._Element) -> str:
    """Text of an element without note calls (a title in the toc carries no note number)."""
    parts = []
    for node in el.iter():
        if node.get("class") == "mb-noteref":
            if node.tail:
                parts.append(node.tail)
            continue
        if node is el:
            parts.append(node.text or "")
        else:
            parts.append((node.text or "") + (node.tail or ""))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def take_title(section: etree._Element, any_level: bool = True) -> etree._Element | None:
    """The first element, when it is a heading (of any level: levels are the book's; an
    h1 only with ``any_level`` false), is the chapter's title: templates print it."""
    tags = HEADINGS if any_level else ("h1",)
    if len(section) and section[0].tag in tags and not (section.text or "").strip():
        title = section[0]
        section.remove(title)
        section.text = (section.text or "") + (title.tail or "")
        return title
    return None


def relative_levels(section: etree._Element, title_level: int) -> None:
    """Headings under a chapter whose title is a level-n heading move up n - 1 levels, so
    that its sections are h2 whatever its level in the whole book (a chapter that is
    ``###`` under a part and a book is set like any other)."""
    if title_level <= 1:
        return
    for el in section.iter(*HEADINGS):
        el.tag = f"h{max(2, int(el.tag[1]) - title_level + 1)}"


def heading_ids(section: etree._Element, notes: list[etree._Element],
                 ids: BookIds) -> dict[str, str]:
    """Every heading gets Pandoc's auto identifier (an explicit ``{#id}`` wins), unique in
    the book; then the chapter's implicit heading references are resolved. Unlike Pandoc,
    an automatic id also avoids every explicit id of the chapter (Pandoc would repeat it,
    and an XHTML document may not). Returns id -> key of the headings that have one."""
    trees = [section, *notes]
    for tree in trees:
        ids.used.update(el.get("id") for el in tree.iter() if el.get("id"))
    keys: dict[str, str] = {}
    opening = section[0] if len(section) and not (section.text or "").strip() else None
    for tree in trees:
        for el in tree.iter(*HEADINGS):
            key = el.attrib.pop(heading_refs.HEADING_ATTR, None)
            if tree is not section:
                continue  # a heading in a note is no section of the book
            if el.get("id") is None:
                if not plain(el) and not len(el):
                    continue  # removed as empty below (C011)
                el.set("id", ids.unique(_id_text(el)))
            if el is opening:  # the title: the templates' <h1 id="{id}-title"> is taken
                ids.used.add(el.get("id") + "-title")
            if key:
                keys[el.get("id")] = key
                ids.heading(key, el.get("id"))
    for tree in trees:
        heading_refs.resolve(tree, ids.headings, final=not ids.defer)
    return keys


def _id_text(el: etree._Element) -> str:
    """A heading's text as Pandoc's ``stringify`` sees it: note calls left out, an
    image's alt text in, a formula as its TeX source, and ``--``, ``---``, ``...`` gone
    (Pandoc's smart punctuation makes them dashes and an ellipsis, which the identifier
    drops)."""
    parts = [_SMART_RE.sub("", el.text or "")]

    def walk(parent: etree._Element) -> None:
        for node in parent:
            if node.get("class") == "mb-noteref":
                pass
            elif etree.QName(node).localname == "math":
                parts.append(tex_source(node))
            else:
                if node.tag == "img":
                    parts.append(node.get("alt") or "")
                text = node.text or ""
                parts.append(text if in_code(node) else _SMART_RE.sub("", text))
                walk(node)
            parts.append(_SMART_RE.sub("", node.tail or ""))
    walk(el)
    return "".join(parts)


def rename_id(old: str | None, new: str, trees, ids: BookIds,
               keys: dict[str, str]) -> None:
    """The title's id when the front matter sets ``id:``: links resolved to the heading's
    own id follow it."""
    for key, ident in ids.headings.items():
        if ident == old:
            ids.headings[key] = new
    if old in keys:
        keys[new] = keys.pop(old)
    ids.used.add(new)
    for tree in trees:
        for a in tree.iter("a"):
            if old and a.get("href") == "#" + old:
                a.set("href", "#" + new)


def section_headings(section: etree._Element, file_id: str,
                      keys: dict[str, str] | None = None) -> list[Heading]:
    headings = []
    used = {el.get("id") for el in section.iter() if el.get("id")}
    for el in section.iter(*HEADINGS):
        if el.get("id") is None:
            base = f"{file_id}-{slugify(plain(el))}"
            candidate, n = base, 2
            while candidate in used:
                candidate, n = f"{base}-{n}", n + 1
            el.set("id", candidate)
            used.add(candidate)
        level = int(el.tag[1])
        if text := plain(el):  # an empty entry would be an empty link in the nav
            headings.append(Heading(max(level, 2), el.get("id"), text,
                                    (keys or {}).get(el.get("id"))))
    return headings


def empty_headings(section, path, diagnostics) -> None:
    """A heading with no text (``##`` alone on a line, or only note calls) is no section:
    an empty one is removed, one holding note calls stays out of the table of contents."""
    for el in list(section.iter(*HEADINGS)):
        if plain(el):
            continue
        holds_something = len(el) > 0
        diagnostics.warning("C011", f"<{el.tag}> heading without text"
                            + ("; left out of the table of contents" if holds_something
                               else "; removed"), path,
                            hint="give the heading words, or remove the # marks")
        if not holds_something:
            drop_keeping_tail(el)
