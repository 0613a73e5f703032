"""Citations and the bibliography rendered by citeproc-py, as Pandoc's citeproc renders them.

citeproc-py implements CSL 1.0.1 and lacks a few things Pandoc relies on; each is made up
here and in :mod:`~make_book.citations.citeproc_patches` (the wrappers of citeproc-py's
model methods), rather than in hand-written formatting:

- suppress-author (``-@key``) and author-in-text (``@key``): CSL processors such as
  citeproc-js render the first ``<names>`` of a cite apart; citeproc-py has no such mode,
  so while a cite is rendered the first ``<names>`` output of a flagged item is taken out
  (a small wrapper of ``citeproc.model.Names.render``, active only inside :meth:`cite`).
- cites keep the author's order unless the style sorts them (citeproc-py reorders them by
  first citation in the book).
- the locale's ``punctuation-in-quote`` (American English: ``“On Rivers,”``).
- a citation that is a whole note starts with a capital (``Ibid.``, ``See``).
- disambiguation, which citeproc-py lacks altogether (it takes a lone ``<if
  disambiguate="true">`` as passed, so Chicago's short notes would all carry the year):
  :mod:`disambiguation` finds the cites that print alike as Pandoc's citeproc does, and
  while an item renders (a wrapper of ``Layout.render_children`` sets its state) its
  first author gets initials or a given name (``Name.process``, ``Name.get_option``),
  more names are shown before "et al." (``Name.get_option``), its year takes a suffix
  (``Date_Part.process``, or ``Text._variable`` where the style prints ``year-suffix``)
  and the ``disambiguate`` test passes only for an item still ambiguous (``If.render``);
  an "ibid." is noticed (``Text._term``) as Pandoc leaves it out of the comparison.
- a locator equal to the one before is equal (citeproc-py compares them by identity, so
  a repeated page gave "Ibid., 4" for Pandoc's "Ibid.").
- ``@key`` whose cite is an "Ibid." still names the author in the text, as Pandoc does.

What it does not do, unlike Pandoc: the given-name rules other than ``primary-name`` and
``primary-name-with-initials`` (the shipped Chicago author-date style uses the first),
cite collapsing (``collapse="year"``: Pandoc's "(Smith 1999a, 1999b)" is "(Smith 1999a;
Smith 1999b)" here); names of CSL 1.0.2 styles marked ``initialize="false"`` come out as
initials (hence the 16th-edition Chicago styles shipped).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, Locator, formatter

from make_book.citations import disambiguation
from make_book.citations.citeproc_patches import _DISAMBIGUATION, _TAKEN  # installs them
from make_book.citations.references import Source
from make_book.citations.styles import Style
from make_book.citations.syntax import Citation

CSL = "{http://purl.org/net/xbiblio/csl}"


class _Locator(Locator):
    """citeproc-py compares a cite's locator with the one before by identity, so "Ibid."
    with the same page came out "Ibid., 4" (``ibid-with-locator``); equal by value here."""

    def __eq__(self, other):
        return (isinstance(other, Locator) and self.label == other.label
                and str(self.identifier) == str(other.identifier))

    def __hash__(self):
        return hash((self.label, str(self.identifier)))


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

    def __init__(self, style: Style, source: Source, nocite: tuple[str, ...] = ()):
        """``nocite``: keys listed in the bibliography though never cited (Pandoc's
        ``nocite`` metadata, ``*`` for every reference), in the order given."""
        self.style = style
        self.source = source
        self.bib = _Bibliography(style, source)
        self.quote_punct = _punctuation_in_quote(style)
        self.nocite = self._nocite(nocite)
        self.decisions = disambiguation.Decisions()

    def _nocite(self, keys: tuple[str, ...]) -> list[str]:
        out: list[str] = []
        for key in keys:
            names = list(self.source) if key == "*" else [key.lower()]
            out.extend(k for k in names if k in self.source and k not in out)
        return out

    def known(self, key: str) -> bool:
        return key.lower() in self.source

    def _items(self, citation: Citation) -> list[CitationItem]:
        items = []
        for cite in citation.items:
            extra = {}
            if cite.locator:
                extra["locator"] = _Locator(cite.label or "page", cite.locator)
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
        for key in self.nocite:
            self.bib.register(CslCitation([CitationItem(key)]))
        self.bib.sort()
        self.decisions = self._disambiguate([c for c, _, _ in citations])
        token = _DISAMBIGUATION.set(self.decisions)
        try:
            return [self._one(citation, in_note, alone, csl)
                    for citation, in_note, alone, csl in prepared]
        finally:
            _DISAMBIGUATION.reset(token)

    def _disambiguate(self, citations: list[Citation]) -> disambiguation.Decisions:
        """Every citation rendered once more, apart (its positions as in the book), and
        each reference not cited alone, to see which print alike."""
        root = self.style.csl.root
        layout = root.find(f"{CSL}citation")
        options: dict[str, object] = {
            name: (layout.get(name) if layout is not None else None) == "true"
            for name in ("disambiguate-add-names", "disambiguate-add-year-suffix",
                         "disambiguate-add-givenname")}
        options["givenname-disambiguation-rule"] = (
            layout.get("givenname-disambiguation-rule") if layout is not None else None)
        explicit = any("year-suffix" in (el.get("variable") or "").split()
                       for el in root.iter(f"{CSL}text"))
        cited = {cite.key.lower() for c in citations for cite in c.items}
        ghosts = [key for key in self.bib.keys if key not in cited]

        def probe(decisions: disambiguation.Decisions) -> list[disambiguation.Probe]:
            bib = _Bibliography(self.style, self.source)
            csls = [CslCitation([CitationItem(cite.key) for cite in c.items])
                    for c in citations]
            apart = {id(item) for csl, c in zip(csls, citations)
                     for item, cite in zip(csl.cites, c.items) if cite.suppress_author}
            if ghosts:
                csls.append(CslCitation([CitationItem(key) for key in ghosts]))
            for csl in csls:
                bib.register(csl)
            bib.sort()
            probing = decisions.probe()
            token = _DISAMBIGUATION.set(probing)
            try:
                for csl in csls:
                    bib.cite(csl, lambda item: None)
            finally:
                _DISAMBIGUATION.reset(token)
            return [disambiguation.Probe(key, state.record[-1] if state.record else "",
                                         disambiguation.family_names(state.names_seen),
                                         disambiguation.primaries(state.names_seen))
                    for ident, key, state in probing.probes
                    if ident not in apart and not state.ibid]

        return disambiguation.decide(options, probe, list(self.bib.keys), explicit)

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
                         if cite.author_in_text
                         and (n := flagged.get(id(item)) or self._short_names(item.key)))
        if self.style.notes:
            if in_note and alone:  # a note that is only a citation: a citation's note
                return Rendered(_capitalise(f"{names}, {text}" if names else text), None)
            if in_note:  # as Pandoc: "As Smith, ibid., 3 says", "see (Smith, 3) there"
                text = text.removesuffix(".")
                return Rendered(f"{names}, {text}" if names else f"({text})", None)
            return Rendered(names, _capitalise(text))
        return Rendered(f"{names} {text}".strip() if names else text, None)

    def _short_names(self, key: str) -> str | None:
        """The author's name as a later, not "ibid.", cite prints it: what Pandoc puts in
        the text for ``@key`` where the cite itself is an "Ibid." without names."""
        bib = _Bibliography(self.style, self.source)
        earlier = CslCitation([CitationItem(key), CitationItem(key)])  # no ibid. after it
        later = CslCitation([CitationItem(key)])
        for csl in (earlier, later):
            bib.register(csl)
        flagged: dict[int, str | None] = {id(later.cites[0]): None}
        decided = _DISAMBIGUATION.set(self.decisions)
        try:
            bib.cite(earlier, lambda item: None)
            token = _TAKEN.set((flagged, False))
            try:
                bib.cite(later, lambda item: None)
            finally:
                _TAKEN.reset(token)
        finally:
            _DISAMBIGUATION.reset(decided)
        return flagged[id(later.cites[0])]

    def bibliography(self) -> list[tuple[str, str]]:
        """(key, entry) of every cited reference, in the style's order; the style's
        ``subsequent-author-substitute`` (Chicago's ``———.``) replaces the names an entry
        shares with the one before, which citeproc-py leaves undone."""
        if not self.bib.items and self.nocite:  # no citation at all: only nocite's
            self.render([])
        names: dict[int, str | None] = {id(item): None for item in self.bib.items}
        token = _TAKEN.set((names, False))
        decided = _DISAMBIGUATION.set(self.decisions)
        try:
            entries = self.bib.bibliography()
        finally:
            _DISAMBIGUATION.reset(decided)
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
