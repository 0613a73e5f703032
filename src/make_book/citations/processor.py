"""Citations and the bibliography rendered by citeproc-py, as Pandoc's citeproc renders them.

citeproc-py implements CSL 1.0.1 and lacks a few things Pandoc relies on; each is made up
here, in one place, rather than in hand-written formatting:

- suppress-author (``-@key``) and author-in-text (``@key``): CSL processors such as
  citeproc-js render the first ``<names>`` of a cite apart; citeproc-py has no such mode,
  so while a cite is rendered the first ``<names>`` output of a flagged item is taken out
  (a small wrapper of ``citeproc.model.Names.render``, active only inside :meth:`cite`).
- cites keep the author's order unless the style sorts them (citeproc-py reorders them by
  first citation in the book).
- the locale's ``punctuation-in-quote`` (American English: ``“On Rivers,”``).
- a citation that is a whole note starts with a capital (``Ibid.``, ``See``).
- ``<if disambiguate="true">`` alone: citeproc-py does not implement the test and takes it
  as passed, so Chicago's short notes would all carry the year; here it fails, which is
  right wherever two references do not need telling apart.

What it does not do, unlike Pandoc: disambiguation (adding given names, ``2004a``) is
citeproc-py's own, less complete, and a short form that needs the year to tell two works
apart does not get it; names of CSL 1.0.2 styles marked ``initialize="false"`` come out as
initials (hence the 16th-edition Chicago styles shipped).
"""

from __future__ import annotations

import contextvars
import html
import re
from dataclasses import dataclass

from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, Locator, formatter
from citeproc.model import ConditionFailed, If, Names

from make_book.citations.references import Source
from make_book.citations.styles import Style
from make_book.citations.syntax import Citation

CSL = "{http://purl.org/net/xbiblio/csl}"

# (id(item) -> the first <names> output of the item, None until it renders; whether that
# output is taken out of the item's rendering or only noted)
_TAKEN: contextvars.ContextVar[tuple[dict[int, str | None], bool] | None] = \
    contextvars.ContextVar("make_book_cite_names", default=None)
_names_render = Names.render


def _render_names(self, item, *args, **kwargs):
    text = _names_render(self, item, *args, **kwargs)
    state = _TAKEN.get()
    if state is None or not text:
        return text
    taken, remove = state
    if taken.get(id(item), "") is None and not self.xpath_search("./ancestor::cs:names"):
        taken[id(item)] = str(text)
        return None if remove else text
    return text


Names.render = _render_names
_if_render = If.render


def _render_if(self, item, *args, **kwargs):
    if "disambiguate" in self.attrib and not any(
            a in self.attrib for a in ("type", "variable", "is-numeric", "is-uncertain-date",
                                       "locator", "position")):
        raise ConditionFailed
    return _if_render(self, item, *args, **kwargs)


If.render = _render_if


@dataclass(frozen=True)
class Rendered:
    """One citation as the book prints it: ``text`` where it stands (the author's name of
    an in-text citation, or the whole citation in an author-date style), ``note`` the
    text of the footnote a note style makes of it (None: no note)."""

    text: str
    note: str | None


class _Bibliography(CitationStylesBibliography):
    """Cites in the order written when the style does not sort them."""

    def __init__(self, style: Style, source: Source):
        super().__init__(style.csl, source, formatter.html)
        citation = style.csl.root.find(f"{CSL}citation")
        info = style.csl.root.find(f"{CSL}info")
        numeric = info is not None and any(c.get("citation-format") == "numeric"
                                           for c in info.findall(f"{CSL}category"))
        self.keep_order = (citation is not None and citation.find(f"{CSL}sort") is None
                           and not numeric)

    def cite(self, citation, callback):
        if not self.keep_order:
            return super().cite(citation, callback)
        keys = self.keys
        order = list(dict.fromkeys(item.key for item in citation.cites))
        self.keys = order + [k for k in keys if k not in order]
        try:
            return super().cite(citation, callback)
        finally:
            self.keys = keys


_EMPHASIS_RE = re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)(?<!\s)\*(?![\w*])|"
                          r"(?<![\w_])_(?!\s)([^_]+?)(?<!\s)_(?![\w_])")


def _inline(text: str) -> str:
    """A prefix or suffix as XHTML: escaped, with Markdown's ``*emphasis*`` kept."""
    return _EMPHASIS_RE.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>",
                            html.escape(text, quote=False))


def _punctuation_in_quote(style: Style) -> bool:
    for locale in style.csl.root.locales:
        options = locale.find(f"{CSL}style-options")
        if options is not None and options.get("punctuation-in-quote") is not None:
            return options.get("punctuation-in-quote") == "true"
    return False


# only after a closing double quote: a closing single quote may be an apostrophe (Workers’.)
_CLOSE_QUOTE_RE = re.compile(r"((?:</[a-z]+>)*)(\u201d)((?:</[a-z]+>)*)([.,])")
_CAP_RE = re.compile(r"^((?:<[^>]+>)*)(\w)")


def _capitalise(text: str) -> str:
    return _CAP_RE.sub(lambda m: m.group(1) + m.group(2).upper(), text, count=1)


class Processor:
    """Renders a book's citations in reading order (a note's citations at its call), so
    the style's first, subsequent and ibid. forms follow the reader."""

    def __init__(self, style: Style, source: Source):
        self.style = style
        self.source = source
        self.bib = _Bibliography(style, source)
        self.quote_punct = _punctuation_in_quote(style)

    def known(self, key: str) -> bool:
        return key.lower() in self.source

    def _items(self, citation: Citation) -> list[CitationItem]:
        items = []
        for cite in citation.items:
            extra = {}
            if cite.locator:
                extra["locator"] = Locator(cite.label or "page", cite.locator)
            if cite.prefix:
                extra["prefix"] = _inline(cite.prefix) + " "
            if cite.suffix:
                space = "" if cite.suffix[0] in ",.;:)" else " "
                extra["suffix"] = space + _inline(cite.suffix)
            items.append(CitationItem(cite.key, **extra))
        return items

    def _finish(self, text: str) -> str:
        text = str(text)
        if self.quote_punct:
            text = _CLOSE_QUOTE_RE.sub(lambda m: m.group(4) + m.group(1) + m.group(2)
                                       + m.group(3), text)
        return text

    def render(self, citations: list[tuple[Citation, bool, bool]]) -> list[Rendered]:
        """Each (citation, inside a note already, the whole of that note) -> how it
        prints, in the order given."""
        prepared = []
        for citation, in_note, alone in citations:
            csl = CslCitation(self._items(citation))
            prepared.append((citation, in_note, alone, csl))
            self.bib.register(csl)
        self.bib.sort()
        return [self._one(citation, in_note, alone, csl)
                for citation, in_note, alone, csl in prepared]

    def _one(self, citation: Citation, in_note: bool, alone: bool,
             csl: CslCitation) -> Rendered:
        flagged = {id(item): None for item, cite in zip(csl.cites, citation.items)
                   if cite.suppress_author or cite.author_in_text}
        token = _TAKEN.set((flagged, True))
        try:
            text = self._finish(self.bib.cite(csl, lambda item: f"<b>{item.key}?</b>"))
        finally:
            _TAKEN.reset(token)
        names = " ".join(self._finish(n) for item, cite in zip(csl.cites, citation.items)
                         if cite.author_in_text and (n := flagged.get(id(item))))
        if self.style.notes:
            if in_note and alone:  # a note that is only a citation: a citation's note
                return Rendered(_capitalise(f"{names}, {text}" if names else text), None)
            if in_note:  # as Pandoc: "As Smith, ibid., 3 says", "see (Smith, 3) there"
                text = text.removesuffix(".")
                return Rendered(f"{names}, {text}" if names else f"({text})", None)
            return Rendered(names, _capitalise(text))
        return Rendered(f"{names} {text}".strip() if names else text, None)

    def bibliography(self) -> list[tuple[str, str]]:
        """(key, entry) of every cited reference, in the style's order; the style's
        ``subsequent-author-substitute`` (Chicago's ``———.``) replaces the names an entry
        shares with the one before, which citeproc-py leaves undone."""
        names: dict[int, str | None] = {id(item): None for item in self.bib.items}
        token = _TAKEN.set((names, False))
        try:
            entries = self.bib.bibliography()
        finally:
            _TAKEN.reset(token)
        layout = self.style.csl.root.find(f"{CSL}bibliography")
        substitute = layout.get("subsequent-author-substitute") if layout is not None else None
        out = []
        previous = None
        for item, entry in zip(self.bib.items, entries):
            entry = str(entry)
            own = names.get(id(item))
            if substitute is not None and own and own == previous and own in entry:
                entry = entry.replace(own, html.escape(substitute, quote=False), 1)
            previous = own
            out.append((item.key, self._finish(entry)))
        return out
