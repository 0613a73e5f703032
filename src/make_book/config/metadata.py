"""book.yaml and chapter front matter as typed, validated, frozen models.

Keys are kebab-case as in Pandoc (``short-title``, ``cover-image``); Python code uses the
snake_case names. Unknown keys are errors: a typo must never be ignored. Validators raise
:func:`fail` errors whose type is our stable code and whose message is a phrase to follow
the key's location (``isbn.epub`` + ``978-... has a wrong check digit (expected 5)``);
:mod:`make_book.config.load` turns them into diagnostics with lines.

Checks that need the book folder (files exist, stay inside) run only when validation gets
``context={"book_dir": Path}``; without it paths are checked for shape only, so tests and
other stages can build a ``BookMetadata`` in memory.

Codes: M010 unknown key, M011 missing key, M012 bad ISBN/ISSN, M013 bad lang, M014 bad
date, M015 missing file, M016 path outside the book, M017 wrong type, M018 listed twice,
M019 bad contributor role, M020 bad value, M021 parts nested too deep, M022 bad chapter kind,
M023 same ISBN for two formats, M024 not a .md file, M025 bad id; M050-M052 the book's
hyphenation words (:mod:`make_book.config.hyphenation`); M090 printing and printings both
given, M091 unknown format, M092 printings out of order, M093 a format listed twice.

This module holds the book's and a chapter's models; the sections they are made of live
beside it, one job each: :mod:`~make_book.config.fields` (base model, codes, field
checks), :mod:`~make_book.config.settings` (print, web, generated matter, hyphenation),
:mod:`~make_book.config.contents` (parts and files) and :mod:`~make_book.config.identity`
(ISBNs, printings, series).

Text a reader sees (titles, names, rights, description...) is a :class:`MetaText`: Markdown
as Pandoc reads YAML metadata, typeset in the book's language once the whole model is
valid; what its raw HTML lost or what could not be shown is kept in ``text_problems`` for
the loader to report at the key's line (codes of :mod:`make_book.config.meta_text`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from make_book.config.contents import (
    ContentsEntry,
    IndexDecl,
    PartEntry,
    _listed_twice,
    _rebuild,
    _too_deep,
    entry_paths,
)
from make_book.config.fields import (
    BAD_KIND,
    BAD_ROLE,
    BAD_VALUE,
    InlineList,
    IsoDate,
    LangTag,
    Text,
    TextList,
    XmlId,
    _book_path,
    _check_identifier,
    _check_layout,
    _kebab,
    _Model,
    _one_or_list,
    parse_date,
)
from make_book.config.identity import (
    PRINTING_TWICE,
    Isbns,
    Printing,
    Series,
    _check_printing,
    _known_formats,
    _printings_in_order,
)
from make_book.config.meta_text import MetaText, TitleText, typeset, typeset_title
from make_book.config.prices import Prices
from make_book.config.settings import (
    Generate,
    Hyphenation,
    PrintSettings,
    WebSettings,
    _hyphenation_shape,
)
from make_book.config.values import fail
from make_book.errors import Diagnostic
from make_book.kinds import KINDS

# MARC relator codes a book's contributors commonly carry (https://id.loc.gov/vocabulary/relators).
ROLES: dict[str, str] = {
    "aut": "author", "trl": "translator", "edt": "editor", "aui": "author of introduction",
    "aft": "author of afterword", "ill": "illustrator", "pht": "photographer",
    "ctb": "contributor", "com": "compiler", "cmm": "commentator", "ann": "annotator",
    "adp": "adapter", "pbl": "publisher", "red": "redaktor", "nrt": "narrator",
}

@dataclass(frozen=True)
class Contributor:
    """A person the book credits, as the metadata resolves book.yaml's creators."""

    name: str
    role: str  # MARC relator code: aut, trl, edt, aui, ill, ...
    file_as: str | None = None


# Paths -------------------------------------------------------------------------------------

# Models ------------------------------------------------------------------------------------

class CreatorEntry(_Model):
    name: MetaText
    role: str = "aut"
    file_as: Text | None = None

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str) -> str:
        code = value.strip().lower()
        if code not in ROLES:
            raise fail(BAD_ROLE, f"'{value}' is not a known MARC relator code",
                       hint="use one of " + ", ".join(f"{c} ({n})" for c, n in ROLES.items()))
        return code


def _creators(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


PartEntry.model_rebuild()


_NOCITE_RE = re.compile(r"(?<![\w@])@(\*|\{[^{}]+\}|\w(?:[\w]|[:.#$%&\-+?<>~/](?=\w))*)")


def _nocite_keys(values: tuple[str, ...]) -> tuple[str, ...]:
    """Pandoc's ``nocite``: each value holds ``@key``s (or ``@*``, every reference)."""
    keys: list[str] = []
    for value in values:
        found = [k.strip("{}") for k in _NOCITE_RE.findall(value)]
        if not found:
            raise fail(BAD_VALUE, f"nocite: '{value}' names no citation key",
                       hint="write keys as in the text: ['@smith', '@doe'], or '@*' for "
                       "every reference of the bibliography")
        keys.extend(k for k in found if k not in keys)
    return tuple(keys)


def _typeset_value(value: Any, lang: str, loc: tuple,
                   problems: list[tuple[tuple, Diagnostic]]) -> Any:
    """``value`` with its MetaTexts typeset in ``lang`` (the same object when unchanged)."""
    if isinstance(value, MetaText):
        if value.lang == lang:
            return value
        text, found = (typeset_title if isinstance(value, TitleText) else typeset)(
            value.source, lang)
        problems.extend((loc, d) for d in found)
        return text
    if isinstance(value, tuple):
        items = tuple(_typeset_value(v, lang, loc + (i,), problems) for i, v in enumerate(value))
        return value if all(a is b for a, b in zip(items, value)) else items
    if isinstance(value, _Model):
        changes = {}
        for name in type(value).model_fields:
            item = getattr(value, name)
            new = _typeset_value(item, lang, loc + (_kebab(name),), problems)
            if new is not item:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value
    return value


def _contributor_file_as(name: str) -> str | None:
    """``Vadim Z. Rogovin`` -> ``Rogovin, Vadim Z.``; single names are filed as they are."""
    words = name.split()
    if len(words) < 2 or "," in name:
        return None
    return f"{words[-1]}, {' '.join(words[:-1])}"


class BookMetadata(_Model):
    title: MetaText
    subtitle: MetaText | None = None
    short_title: MetaText | None = None
    author: InlineList = ()
    translator: InlineList = ()
    editor: InlineList = ()
    introduction_by: InlineList = ()
    illustrator: InlineList = ()
    creator: Annotated[tuple[CreatorEntry, ...], BeforeValidator(_creators)] = ()
    lang: LangTag
    date: IsoDate | None = None
    publisher: MetaText | None = None
    place: MetaText | None = None
    rights: MetaText | None = None
    source: InlineList = ()
    description: MetaText | None = None
    subject: TextList = ()
    keywords: TextList = ()
    identifier: Annotated[Text, AfterValidator(_check_identifier)] | None = None
    edition: MetaText | None = None
    printing: Annotated[Text, AfterValidator(_check_printing)] | None = None
    printings: Annotated[tuple[Printing, ...], AfterValidator(_printings_in_order)] = ()
    edition_number: int | None = Field(None, ge=1)  # ONIX <EditionNumber>
    formats: Annotated[tuple[Text, ...], BeforeValidator(_one_or_list),
                       AfterValidator(_known_formats)] = ("epub", "pdf")
    isbn: Isbns | None = None
    series: Series | None = None
    cover_image: str | None = None
    layout: Annotated[Text, AfterValidator(_check_layout)] = "default"
    print: PrintSettings = PrintSettings()
    notes: Literal["footnotes", "endnotes"] = "footnotes"
    epub_notes: Literal["chapter", "book"] = "chapter"
    contents: tuple[ContentsEntry, ...] | None = None
    generate: Generate = Generate()
    web: WebSettings = WebSettings()
    indexes: tuple[IndexDecl, ...] = ()
    number_figures: bool = False  # "Figure 2.1" captions and {.ref} labels, per chapter
    number_tables: bool = False
    price: Prices | None = None  # per format and currency, for the ONIX record
    hyphenation: Annotated[Hyphenation, BeforeValidator(_hyphenation_shape)] = Hyphenation()
    # citations (make_book.citations): bibliography files in the book, a CSL style (a .csl
    # file in the book or a style the layout ships), the bibliography's heading (Pandoc's key)
    bibliography: TextList = ()
    csl: Text | None = None
    nocite: Annotated[TextList, AfterValidator(_nocite_keys)] = ()  # keys, "*": all
    reference_section_title: MetaText | None = None
    _text_problems: tuple = PrivateAttr(default=())

    @model_validator(mode="after")
    def _typeset_all(self) -> BookMetadata:
        """Every MetaText, nested ones too, typeset in the book's language: done here, once,
        because only the whole model knows the language."""
        problems: list[tuple[tuple, Diagnostic]] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            new = _typeset_value(value, self.lang, (_kebab(name),), problems)
            if new is not value:
                object.__setattr__(self, name, new)  # frozen for everyone but its validator
        self._text_problems = tuple(problems)
        return self

    @model_validator(mode="after")
    def _one_printing_key(self) -> BookMetadata:
        if self.printing is not None and self.printings:
            raise ValidationError.from_exception_data(type(self).__name__, [InitErrorDetails(
                type=fail(PRINTING_TWICE, "printing and printings are both given",
                          hint="keep printings (the list) and remove printing",
                          first=("printing",)),
                loc=("printings",), input=None)])
        return self

    @property
    def current_printing(self) -> Printing | None:
        """The latest of ``printings``, or ``printing: N`` as a printing of that number
        (None when there is none, or ``printing`` is text)."""
        if self.printings:
            return self.printings[-1]
        if self.printing and self.printing.isascii() and self.printing.isdigit() \
                and int(self.printing) >= 1:
            return Printing(number=int(self.printing))
        return None

    @property
    def text_problems(self) -> tuple[tuple[tuple, Diagnostic], ...]:
        """(location of the key, diagnostic without path or line) for what typesetting a
        value removed or could not show (raw HTML refused, a list in a title)."""
        return self._text_problems

    @field_validator("cover_image")
    @classmethod
    def _cover_inside(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _book_path(value, info)

    @field_validator("bibliography")
    @classmethod
    def _bibliography_inside(cls, value: tuple[str, ...], info: ValidationInfo
                             ) -> tuple[str, ...]:
        """Each file checked, every problem reported at once (with its item's line)."""
        paths, errors = [], []
        for i, rel in enumerate(value):
            try:
                paths.append(_book_path(rel, info))
            except PydanticCustomError as exc:
                errors.append(InitErrorDetails(type=exc, loc=(i,), input=rel))
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return tuple(paths)

    @field_validator("csl")
    @classmethod
    def _csl_inside(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A file when it ends in .csl, else a style's name (looked up when building)."""
        if value is not None and value.lower().endswith(".csl"):
            return _book_path(value, info)
        return value

    @field_validator("contents", mode="wrap")
    @classmethod
    def _each_once(cls, value: Any, handler, info: ValidationInfo):
        repeated = _listed_twice(value) + _too_deep(value)
        try:
            result = handler(value)
        except ValidationError as exc:
            raise ValidationError.from_exception_data(
                cls.__name__, _rebuild(exc.errors()) + repeated) from None
        if repeated:
            raise ValidationError.from_exception_data(cls.__name__, repeated)
        return result

    @property
    def date_value(self) -> dt.date | None:
        """The date as a ``datetime.date`` (the first day of a bare year or month)."""
        return parse_date(self.date) if self.date else None

    @property
    def contributors(self) -> tuple[Contributor, ...]:
        """Everyone credited, authors first, each (name, role) once."""
        people = [Contributor(n, "aut", _contributor_file_as(n)) for n in self.author]
        people += [Contributor(c.name, c.role, c.file_as) for c in self.creator
                   if c.role == "aut"]
        for names, role in ((self.translator, "trl"), (self.editor, "edt"),
                            (self.introduction_by, "aui"), (self.illustrator, "ill")):
            people += [Contributor(n, role, _contributor_file_as(n)) for n in names]
        people += [Contributor(c.name, c.role, c.file_as) for c in self.creator
                   if c.role != "aut"]
        seen: set[tuple[str, str]] = set()
        unique = []
        for p in people:
            if (p.name, p.role) not in seen:
                seen.add((p.name, p.role))
                unique.append(p)
        return tuple(unique)

    @property
    def authors(self) -> tuple[Contributor, ...]:
        return tuple(c for c in self.contributors if c.role == "aut")

    @property
    def contents_paths(self) -> tuple[str, ...]:
        """Every chapter path in ``contents``, parts flattened, in reading order."""
        out: list[str] = []
        for entry in self.contents or ():
            out.extend(entry_paths(entry))
        return tuple(out)


class ChapterMeta(_Model):
    """The YAML block that may open a chapter file."""

    title: Text | None = None
    short_title: Text | None = None
    kind: str = "chapter"
    lang: LangTag | None = None
    numbered: bool | None = None
    id: XmlId | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        kinds = [k for k in KINDS if k != "part"]  # a part's text comes from its heading
        if value not in kinds:
            close = difflib.get_close_matches(value.lower(), kinds, n=1)
            hint = (f"did you mean {close[0]}? " if close else "") + "kinds: " + ", ".join(kinds)
            raise fail(BAD_KIND, f"'{value}' is not a chapter kind", hint=hint)
        return value
