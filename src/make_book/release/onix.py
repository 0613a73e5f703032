"""ONIX for Books 3.0 (reference tags): the retailer record of a book, one Product per format.

One ``ONIXMessage`` per book (``<slug>-onix.xml``), the publisher as sender, with a Product
for each format that has an ISBN (paperback ``BC``, hardback ``BB``, EPUB ``ED`` + ``E101``,
the screen PDF ``ED`` + ``E107``):

- ``RecordReference`` ``<identifier>-<format>`` (stable across releases), ISBN-13 as
  ProductIDType 15 (and 03, GTIN-13), NotificationType 03;
- DescriptiveDetail: product form, trim size and spine thickness (print), the EPUB's
  accessibility claims (read back from its package document, so they are the OPF's),
  the series as a Collection (TitleElementLevel 02 with its number), title and subtitle,
  contributors with ONIX role codes (:data:`ONIX_ROLES`), edition, language (ISO 639-2/B),
  extents (print and the screen PDF: main content 00 and front matter 03 from the PDF's
  page labels, content page count 11; EPUB: words 02 and pages in the print counterpart
  08), subjects; the screen PDF's accessibility: PDF/UA (code list 196: 05) and its
  bookmarks (11, table of contents navigation);
- CollateralDetail: the description (TextType 03);
- PublishingDetail: publisher, city, status (forthcoming until the publication date, then
  active, judged at the source date so the record is reproducible), publication date;
- RelatedMaterial: every other format as ProductRelationCode 06 (alternative format), plus
  13 (e-publication based on the print product) from the EPUB and the PDF to the print
  editions and 27 (electronic version available as) from print to them;
- ProductSupply: the publisher supplies resellers (SupplierRole 01), available (20), with a
  Price per currency from ``price:`` (:mod:`.prices`), else "price to be announced".

Subjects. ``subject`` in book.yaml stays free text for the EPUB and PDF, and may carry codes:
``BISAC:HIS032000`` or ``BISAC:HIS032000 HISTORY / Russia & the Former Soviet Union`` (scheme
10), ``THEMA:NHD`` (93; a qualifier such as ``THEMA:1DTA`` goes to its own scheme, 94-99 by
its first digit). The first of each scheme is its main subject. Entries without a prefix,
and ``keywords``, go to one keywords Subject (scheme 20), separated by semicolons.

Codes: R020 no publisher (error: ONIX needs a sender and a publisher); R021 no price for a
format (warning); R022 a subject code of the wrong shape (error); R023 a format built
without an ISBN is left out (warning).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import langcodes
from lxml import etree

from make_book.config.identity import Isbn
from make_book.config.metadata import BookMetadata
from make_book.config.prices import Prices, price_type
from make_book.errors import Diagnostics
from make_book.release.inspect import EpubFacts
from make_book.release.onix_codes import (
    A11Y_FEATURES,
    E_FORMATS,
    ONIX_ROLES,
    PDF_FEATURES,
    PRINT_FORMATS,
    PRODUCT_FORMS,
)
from make_book.release.onix_subjects import subjects

NS = "http://ns.editeur.org/onix/3.0/reference"

@dataclass(frozen=True)
class ProductFacts:
    """What the built files say about one format."""

    format: str  # paperback | hardcover | epub
    isbn: Isbn
    pages: int | None = None  # print: the interior's page count
    front_pages: int | None = None  # print: pages before arabic page 1
    words: int | None = None  # EPUB
    print_pages: int | None = None  # EPUB: the print counterpart's page count
    thickness_in: float | None = None  # print (paperback): the spine
    features: tuple[str, ...] = ()  # EPUB: schema:accessibilityFeature of its OPF
    summary: str | None = None  # EPUB: schema:accessibilitySummary
    conforms_to: tuple[str, ...] = ()  # EPUB: dcterms:conformsTo


def language_code(tag: str) -> str:
    """BCP 47 -> ISO 639-2/B (ONIX code list 74): ``en-GB`` -> ``eng``, ``de`` -> ``ger``."""
    return langcodes.Language.get(tag).to_alpha3(variant="B")


def onix_date(value: str) -> tuple[str, str]:
    """(dateformat, date) for an ISO date, month or year."""
    parts = value[:10].split("-")
    if len(parts) == 3:
        return "00", "".join(parts)
    if len(parts) == 2:
        return "01", "".join(parts)
    return "05", parts[0]


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrib: str):
    el = etree.SubElement(parent, tag, {k: v for k, v in attrib.items()})
    if text is not None:
        el.text = str(text)
    return el


def _identifiers(parent: etree._Element, isbn: Isbn, tag: str = "ProductIdentifier") -> None:
    for id_type in ("15", "03"):  # ISBN-13, GTIN-13
        ident = _el(parent, tag)
        _el(ident, "ProductIDType", id_type)
        _el(ident, "IDValue", isbn.isbn13)


def _amount(value: Decimal) -> str:
    return format(value, "f")


class OnixWriter:
    def __init__(self, meta: BookMetadata, identifier: str, products: list[ProductFacts], *,
                 prices: Prices | None, source_date: datetime, diagnostics: Diagnostics,
                 where: Path | None):
        self.meta = meta
        self.identifier = identifier
        self.products = products
        self.prices = prices
        self.source_date = source_date.astimezone(UTC)
        self.diagnostics = diagnostics
        self.where = where

    # -------------------------------------------------------------------- message
    def message(self) -> bytes | None:
        meta = self.meta
        if not meta.publisher:
            self.diagnostics.error("R020", "book.yaml has no publisher: an ONIX record needs "
                                   "a sender and a publisher", self.where,
                                   hint="add publisher: to book.yaml")
            return None
        root = etree.Element("ONIXMessage", {"release": "3.0"}, nsmap={None: NS})
        header = _el(root, "Header")
        sender = _el(header, "Sender")
        _el(sender, "SenderName", meta.publisher)
        _el(header, "SentDateTime", self.source_date.strftime("%Y%m%dT%H%M%S"))
        _el(header, "DefaultLanguageOfText", language_code(meta.lang))
        subjects_ = subjects(meta, self.diagnostics, self.where)
        for facts in self.products:
            self.product(root, facts, subjects_)
        _retag(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    # -------------------------------------------------------------------- product
    def record_reference(self, fmt: str) -> str:
        return f"{self.identifier}-{fmt}"

    def product(self, root, facts: ProductFacts, subjects_) -> None:
        meta = self.meta
        p = _el(root, "Product")
        _el(p, "RecordReference", self.record_reference(facts.format))
        _el(p, "NotificationType", "03")
        _el(p, "RecordSourceType", "01")  # publisher
        _el(p, "RecordSourceName", meta.publisher)
        _identifiers(p, facts.isbn)

        d = _el(p, "DescriptiveDetail")
        _el(d, "ProductComposition", "00")
        form, detail = PRODUCT_FORMS[facts.format]
        _el(d, "ProductForm", form)
        if detail:
            _el(d, "ProductFormDetail", detail)
        if facts.format == "epub":
            self.accessibility_features(d, facts)
        if facts.format == "pdf":
            for code in PDF_FEATURES:
                f = _el(d, "ProductFormFeature")
                _el(f, "ProductFormFeatureType", "09")
                _el(f, "ProductFormFeatureValue", code)
        if facts.format in PRINT_FORMATS:
            trim_w, trim_h = meta.print.trim_size
            for kind, value in (("01", trim_h / 72), ("02", trim_w / 72),
                                ("03", facts.thickness_in)):
                if value:
                    m = _el(d, "Measure")
                    _el(m, "MeasureType", kind)
                    _el(m, "Measurement", f"{value:.4f}".rstrip("0").rstrip("."))
                    _el(m, "MeasureUnitCode", "in")
        if facts.format == "epub":
            _el(d, "EpubTechnicalProtection", "00")  # no DRM: make-book writes none
        if meta.series:
            c = _el(d, "Collection")
            _el(c, "CollectionType", "10")  # publisher collection
            if meta.series.issn:
                ci = _el(c, "CollectionIdentifier")
                _el(ci, "CollectionIDType", "02")
                _el(ci, "IDValue", re.sub(r"[\s-]", "", meta.series.issn).upper())
            t = _el(c, "TitleDetail")
            _el(t, "TitleType", "01")
            e = _el(t, "TitleElement")
            _el(e, "TitleElementLevel", "02")  # collection level
            if meta.series.number is not None:
                _el(e, "PartNumber", str(meta.series.number))
            _el(e, "TitleText", meta.series.title)
        t = _el(d, "TitleDetail")
        _el(t, "TitleType", "01")
        e = _el(t, "TitleElement")
        _el(e, "TitleElementLevel", "01")  # product level
        _el(e, "TitleText", meta.title)
        if meta.subtitle:
            _el(e, "Subtitle", meta.subtitle)
        people = [c for c in meta.contributors if c.role in ONIX_ROLES]
        for n, person in enumerate(people, start=1):
            c = _el(d, "Contributor")
            _el(c, "SequenceNumber", str(n))
            _el(c, "ContributorRole", ONIX_ROLES[person.role])
            _el(c, "PersonName", person.name)
            if person.file_as:
                _el(c, "PersonNameInverted", person.file_as)
        if not people:
            _el(d, "NoContributor")
        if meta.edition_number:
            _el(d, "EditionNumber", str(meta.edition_number))
        if meta.edition:
            _el(d, "EditionStatement", meta.edition)
        lang = _el(d, "Language")
        _el(lang, "LanguageRole", "01")
        _el(lang, "LanguageCode", language_code(meta.lang))
        self.extents(d, facts)
        for subject, main in subjects_:
            s = _el(d, "Subject")
            if main:
                _el(s, "MainSubject")
            _el(s, "SubjectSchemeIdentifier", subject.scheme)
            if subject.code:
                _el(s, "SubjectCode", subject.code)
            if subject.heading:
                _el(s, "SubjectHeadingText", subject.heading)

        if meta.description:
            cd = _el(p, "CollateralDetail")
            tc = _el(cd, "TextContent")
            _el(tc, "TextType", "03")
            _el(tc, "ContentAudience", "00")
            _el(tc, "Text", meta.description, textformat="06")

        pd = _el(p, "PublishingDetail")
        pub = _el(pd, "Publisher")
        _el(pub, "PublishingRole", "01")
        _el(pub, "PublisherName", meta.publisher)
        if meta.place:
            _el(pd, "CityOfPublication", meta.place)
        published = meta.date_value
        forthcoming = published is not None and published > self.source_date.date()
        _el(pd, "PublishingStatus", "02" if forthcoming else "04")
        if meta.date:
            pdate = _el(pd, "PublishingDate")
            _el(pdate, "PublishingDateRole", "01")
            fmt, value = onix_date(meta.date)
            _el(pdate, "Date", value, dateformat=fmt)

        others = [o for o in self.products if o.format != facts.format]
        if others:
            rm = _el(p, "RelatedMaterial")
            for other in others:
                rp = _el(rm, "RelatedProduct")
                _el(rp, "ProductRelationCode", "06")
                if facts.format in E_FORMATS and other.format in PRINT_FORMATS:
                    _el(rp, "ProductRelationCode", "13")
                if facts.format in PRINT_FORMATS and other.format in E_FORMATS:
                    _el(rp, "ProductRelationCode", "27")
                _identifiers(rp, other.isbn)

        self.supply(p, facts)

    def accessibility_features(self, d, facts: ProductFacts) -> None:
        """The EPUB's accessibility claims (its OPF's), as ProductFormFeature type 09."""
        codes: list[str] = []
        for claim in facts.conforms_to:
            m = re.search(r"EPUB Accessibility (1\.[01])\s*-\s*WCAG (2\.[012]) Level (A+)",
                          claim)
            if m:
                codes.append("04" if m[1] == "1.1" else {"A": "02"}.get(m[3], "03"))
                codes.append({"2.0": "80", "2.1": "81", "2.2": "82"}[m[2]])
                codes.append({"A": "84", "AA": "85", "AAA": "86"}[m[3]])
        codes += [A11Y_FEATURES[f] for f in facts.features if f in A11Y_FEATURES]
        for code in dict.fromkeys(codes):
            f = _el(d, "ProductFormFeature")
            _el(f, "ProductFormFeatureType", "09")
            _el(f, "ProductFormFeatureValue", code)
        if facts.summary:
            f = _el(d, "ProductFormFeature")
            _el(f, "ProductFormFeatureType", "09")
            _el(f, "ProductFormFeatureValue", "00")
            _el(f, "ProductFormFeatureDescription", facts.summary)

    def extents(self, d, facts: ProductFacts) -> None:
        def extent(kind: str, value: int | None, unit: str) -> None:
            if value:
                x = _el(d, "Extent")
                _el(x, "ExtentType", kind)
                _el(x, "ExtentValue", str(value))
                _el(x, "ExtentUnit", unit)
        if facts.format in (*PRINT_FORMATS, "pdf") and facts.pages:
            front = facts.front_pages or 0
            extent("00", facts.pages - front, "03")
            extent("03", front, "03")
            extent("11", facts.pages, "03")
        if facts.format == "epub":
            extent("02", facts.words, "02")
            extent("08", facts.print_pages, "03")

    def supply(self, p, facts: ProductFacts) -> None:
        meta = self.meta
        ps = _el(p, "ProductSupply")
        market = _el(ps, "Market")
        territory = _el(market, "Territory")
        _el(territory, "RegionsIncluded", "WORLD")
        sd = _el(ps, "SupplyDetail")
        supplier = _el(sd, "Supplier")
        _el(supplier, "SupplierRole", "01")
        _el(supplier, "SupplierName", meta.publisher)
        _el(sd, "ProductAvailability", "20")
        amounts = self.prices.for_format(facts.format) if self.prices else {}
        if not amounts:
            self.diagnostics.warning("R021", f"no {facts.format} price: the ONIX record says "
                                     "'price to be announced'", self.where,
                                     hint=f"add price: {{{facts.format}: {{USD: ...}}}} "
                                          "to book.yaml")
            _el(sd, "UnpricedItemType", "02")
            return
        if all(v == 0 for v in amounts.values()):
            _el(sd, "UnpricedItemType", "01")  # free of charge
            return
        for currency, amount in amounts.items():
            price = _el(sd, "Price")
            _el(price, "PriceType", price_type(currency))
            _el(price, "PriceAmount", _amount(amount))
            _el(price, "CurrencyCode", currency)


def _retag(root: etree._Element) -> None:
    """Elements were built without a namespace; put them in ONIX's (reference tags)."""
    for el in root.iter():
        if isinstance(el.tag, str) and not el.tag.startswith("{"):
            el.tag = f"{{{NS}}}{el.tag}"


def onix_record(meta: BookMetadata, identifier: str, products: list[ProductFacts], *,
                prices: Prices | None, source_date: datetime, diagnostics: Diagnostics,
                where: Path | None = None) -> bytes | None:
    """The ONIX 3.0 message for a book; None when it cannot be written (see diagnostics)."""
    return OnixWriter(meta, identifier, products, prices=prices, source_date=source_date,
                      diagnostics=diagnostics, where=where).message()


def products_for(meta: BookMetadata, *, built: set[str], pages: int | None = None,
                 front_pages: int | None = None, thickness_in: float | None = None,
                 epub: EpubFacts | None = None, diagnostics: Diagnostics,
                 where: Path | None = None) -> list[ProductFacts]:
    """A Product for each built format with an ISBN (``built``: ``epub``, ``pdf`` (print),
    ``screen`` (the screen PDF: its pages are the print interior's and the cover):
    make_book.formats). kepub and kindle are deliveries of the EPUB product (same ISBN) and
    web is not sold: none of them adds a product."""
    isbns = meta.isbn
    out: list[ProductFacts] = []
    if "pdf" in built:
        prints = [f for f in PRINT_FORMATS if isbns is not None and getattr(isbns, f)]
        if not prints:
            diagnostics.warning("R023", "the print edition has no ISBN: it is left out of "
                                "the ONIX record", where,
                                hint="add isbn.paperback (or isbn.hardcover) to book.yaml")
        for fmt in prints:
            out.append(ProductFacts(fmt, getattr(isbns, fmt), pages=pages,
                                    front_pages=front_pages,
                                    thickness_in=thickness_in if fmt == "paperback" else None))
    if "epub" in built:
        if isbns is None or isbns.epub is None:
            diagnostics.warning("R023", "the EPUB has no ISBN: it is left out of the ONIX "
                                "record", where, hint="add isbn.epub to book.yaml")
        else:
            facts = epub or EpubFacts(words=0)
            if facts.has_page_list and "printPageNumbers" not in facts.features:
                facts = replace(facts, features=facts.features + ("printPageNumbers",))
            out.insert(0, ProductFacts("epub", isbns.epub, words=facts.words or None,
                                       print_pages=pages if "pdf" in built else None,
                                       features=facts.features, summary=facts.summary,
                                       conforms_to=facts.conforms_to))
    if "screen" in built:  # the screen PDF is sold as the PDF e-book
        if isbns is None or isbns.pdf is None:
            diagnostics.warning("R023", "the screen PDF has no ISBN: it is left out of the "
                                "ONIX record", where, hint="add isbn.pdf to book.yaml")
        else:
            out.append(ProductFacts("pdf", isbns.pdf, pages=pages, front_pages=front_pages))
    return out
