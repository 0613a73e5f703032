"""Fragment plumbing shared by the transforms and the renderers: a chapter body, a note's
body or a title's markup as a parsed tree (:class:`Body`), and parsing and serialising
fragments under the ``epub`` prefix.

Fragments in the model carry no namespace; EPUB markup needs ``epub:type``. Parsing inside
a wrapper that declares the ``epub`` prefix lets us set ``{OPS}type`` and serialise the
children with the prefix, declared once by the document template.
"""

from __future__ import annotations

import copy

from lxml import etree

OPS_NS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS_NS}}}type"
_OPEN = f'<div xmlns:epub="{OPS_NS}">'
_PARSER = etree.XMLParser(huge_tree=True, remove_blank_text=False, resolve_entities=False,
                          no_network=True)


def parse_fragment(fragment: str) -> etree._Element:
    return etree.fromstring(f"{_OPEN}{fragment}</div>", _PARSER)


def add_class(el: etree._Element, cls: str) -> None:
    el.set("class", " ".join(filter(None, [el.get("class"), cls])))


def replace_keep_tail(old: etree._Element, new: etree._Element) -> None:
    """``new`` in ``old``'s place, the text after ``old`` kept after it."""
    new.tail = old.tail
    old.getparent().replace(old, new)


def serialize_fragment(wrapper: etree._Element) -> str:
    text = etree.tostring(wrapper, encoding="unicode", method="xml")
    start = text.index(">") + 1
    if text.endswith("/>"):  # an empty wrapper
        return ""
    return text[start:-len("</div>")]


def plain_text(fragment: str | Body) -> str:
    if isinstance(fragment, Body):
        return fragment.text()
    return "".join(parse_fragment(fragment).itertext())


class Body:
    """A chapter's content, parsed once by the loader: the children (and leading text) of
    a namespace-free ``<div>``. Every transform and renderer reads this tree instead of
    parsing text again; it is immutable by convention, so a stage that changes it edits
    :meth:`edit`'s copy (a deep copy costs a fraction of a parse) and wraps the result in
    a new Body. The serialised form is computed at most once, for equality, hashing and
    pickling (print workers get a Body through pickle)."""

    __slots__ = ("_root", "_xml")

    def __init__(self, root: etree._Element):
        if root.tag != "div" or root.nsmap:
            raise ValueError("a Body wraps a namespace-free <div>")
        self._root = root
        self._xml: str | None = None

    @classmethod
    def parse(cls, fragment: str) -> Body:
        """The one place a body is parsed from text (a cache entry, a pickled Body, a
        chapter a test or a transform writes as text)."""
        return cls(etree.fromstring(f"<div>{fragment}</div>", _PARSER))

    @classmethod
    def adopt(cls, container: etree._Element) -> Body:
        """The children of ``container`` (moved, not copied) as a Body."""
        root = etree.Element("div")
        root.text = container.text
        root.extend(list(container))
        return cls(root)

    @property
    def root(self) -> etree._Element:
        """The tree itself: read it, never change it (see :meth:`edit`)."""
        return self._root

    def edit(self) -> etree._Element:
        """A copy of the tree to change; ``Body(copy)`` then makes the new body."""
        return copy.deepcopy(self._root)

    def epub_root(self) -> etree._Element:
        """A copy of the tree under a wrapper declaring the ``epub`` prefix, for markup that
        sets ``epub:type`` (:func:`serialize_fragment` writes it back)."""
        root = etree.Element("div", nsmap={"epub": OPS_NS})
        copied = self.edit()
        root.text = copied.text
        root.extend(list(copied))
        return root

    def has(self, *tags: str) -> bool:
        """Whether some element of the body is one of ``tags``."""
        return next(self._root.iter(*tags), None) is not None

    def has_class(self, name: str) -> bool:
        """Whether some element of the body has ``name`` among its classes."""
        return any(name in el.get("class", "").split() for el in self._root.iter("*"))

    def find_attr(self, name: str) -> bool:
        """Whether some element of the body has the attribute ``name``."""
        return bool(self._root.xpath(f".//*[@{name}]"))

    def text(self, sep: str = "") -> str:
        """The text content; ``sep`` between the pieces elements cut it into."""
        return sep.join(self._root.itertext())

    @property
    def xml(self) -> str:
        """The body serialised as XML (the fragment, without the wrapper)."""
        if self._xml is None:
            self._xml = serialize_fragment(self._root)
        return self._xml

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Body):
            return NotImplemented
        return self is other or self.xml == other.xml

    def __hash__(self) -> int:
        return hash(self.xml)

    def __reduce__(self):
        return (Body.parse, (self.xml,))

    def __repr__(self) -> str:
        return f"Body({self.xml[:60]!r}...)"
