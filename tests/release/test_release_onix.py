"""ONIX 3.0: one Product per format, validated against the schema (onixcheck: XSD and RNG,
the RNG with the code lists)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from lxml import etree
from pydantic import ValidationError

from make_book.errors import Diagnostics
from make_book.release import onix, onix_subjects
from make_book.release.inspect import EpubFacts
from make_book.config.prices import Prices
from tests.release.conftest import HARDCOVER, SOURCE_DATE, make_meta

onixcheck = pytest.importorskip("onixcheck")
NS = {"o": onix.NS}

EPUB_FACTS = EpubFacts(words=61234, features=("tableOfContents", "readingOrder",
                                              "alternativeText", "index"),
                       summary="Navigable contents; every image has a text alternative.",
                       conforms_to=("EPUB Accessibility 1.1 - WCAG 2.2 Level AA",),
                       has_page_list=True, identifier="urn:isbn:9781739000004")
PRICES = {"paperback": {"USD": 24.95, "GBP": "18.9"}, "hardcover": {"USD": 45},
          "epub": {"usd": 9.99, "EUR": 8.99}}


def record(meta=None, prices=PRICES, built=("epub", "pdf"), diagnostics=None):
    meta = meta or make_meta(
        isbn={"epub": "978-1-7390000-0-4", "paperback": "978-1-7390000-1-1",
              "hardcover": HARDCOVER},
        subject=["BISAC:HIS032000 HISTORY / Russia & the Former Soviet Union",
                 "THEMA:NHD", "THEMA:1DTA", "BISAC:HIS054000", "Textile industry"],
        keywords=["letters", "Volga"], edition="First edition",
        creator=[{"name": "Anna Petrovna Vetrova", "role": "aut"},
                 {"name": "Mark Weiss", "role": "aui"}, {"name": "Press", "role": "pbl"}])
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    products = onix.products_for(meta, built=set(built), pages=312, front_pages=14,
                                 thickness_in=0.7027, epub=EPUB_FACTS, diagnostics=diagnostics)
    data = onix.onix_record(meta, "urn:isbn:9781739000004", products,
                            prices=Prices.model_validate(prices) if prices else None,
                            source_date=SOURCE_DATE, diagnostics=diagnostics)
    return data, diagnostics


def validate(data: bytes, schema: str) -> list[str]:
    f = io.BytesIO(data)
    f.name = "onix.xml"
    return [str(m) for m in onixcheck.validate(f, schemas=(schema,))]


@pytest.mark.parametrize("schema", ["xsd", "rng"])
def test_record_validates(schema):
    data, diagnostics = record()
    assert not diagnostics.items, [d.format() for d in diagnostics]
    assert validate(data, schema) == []


def test_minimal_record_validates():
    meta = make_meta(series=None, subtitle=None, description=None, place=None, date=None,
                     isbn={"epub": "978-1-7390000-0-4"}, translator=[], editor=[])
    data, diagnostics = record(meta, prices=None, built=("epub",))
    assert [d.code for d in diagnostics] == ["R021"]
    assert validate(data, "xsd") == [] and validate(data, "rng") == []
    tree = etree.fromstring(data)
    assert tree.findtext(".//o:UnpricedItemType", namespaces=NS) == "02"


def products(data: bytes) -> dict[str, etree._Element]:
    tree = etree.fromstring(data)
    out = {}
    for p in tree.iterfind("o:Product", NS):
        out[p.findtext("o:DescriptiveDetail/o:ProductForm", namespaces=NS)] = p
    return out


def test_one_product_per_format_with_its_isbn_and_form():
    by_form = products(record()[0])
    assert set(by_form) == {"ED", "BC", "BB"}
    isbn = {form: p.findtext("o:ProductIdentifier[o:ProductIDType='15']/o:IDValue",
                             namespaces=NS) for form, p in by_form.items()}
    assert isbn == {"ED": "9781739000004", "BC": "9781739000011", "BB": "9780306406157"}
    assert by_form["ED"].findtext(".//o:ProductFormDetail", namespaces=NS) == "E101"


def test_titles_series_contributors_language():
    p = products(record()[0])["BC"]
    d = p.find("o:DescriptiveDetail", NS)
    title = d.find("o:TitleDetail/o:TitleElement", NS)
    assert title.findtext("o:TitleText", namespaces=NS) == "Letters from the Volga"
    assert title.findtext("o:Subtitle", namespaces=NS) == "A Factory Town in the 1920s"
    series = d.find("o:Collection/o:TitleDetail/o:TitleElement", NS)
    assert series.findtext("o:TitleElementLevel", namespaces=NS) == "02"
    assert series.findtext("o:PartNumber", namespaces=NS) == "2"
    assert series.findtext("o:TitleText", namespaces=NS) == "Voices of the Twenties"
    roles = [(c.findtext("o:ContributorRole", namespaces=NS),
              c.findtext("o:PersonName", namespaces=NS))
             for c in d.iterfind("o:Contributor", NS)]
    assert roles == [("A01", "Anna Petrovna Vetrova"), ("B06", "Thomas Ashdown"),
                     ("B01", "Helen Marsh"), ("A24", "Mark Weiss")]  # no publisher (pbl)
    assert d.findtext("o:Language/o:LanguageCode", namespaces=NS) == "eng"
    assert d.findtext("o:EditionStatement", namespaces=NS) == "First edition"


def test_extents_measures_and_subjects():
    by_form = products(record()[0])
    extents = {(x.findtext("o:ExtentType", namespaces=NS), x.findtext("o:ExtentUnit",
                                                                       namespaces=NS)):
               x.findtext("o:ExtentValue", namespaces=NS)
               for x in by_form["BC"].iterfind(".//o:Extent", NS)}
    assert extents == {("00", "03"): "298", ("03", "03"): "14", ("11", "03"): "312"}
    epub = {x.findtext("o:ExtentType", namespaces=NS): x.findtext("o:ExtentValue",
                                                                   namespaces=NS)
            for x in by_form["ED"].iterfind(".//o:Extent", NS)}
    assert epub == {"02": "61234", "08": "312"}
    measures = {m.findtext("o:MeasureType", namespaces=NS): m.findtext("o:Measurement",
                                                                        namespaces=NS)
                for m in by_form["BC"].iterfind(".//o:Measure", NS)}
    assert measures == {"01": "9", "02": "6", "03": "0.7027"}
    assert "03" not in {m.findtext("o:MeasureType", namespaces=NS)
                        for m in by_form["BB"].iterfind(".//o:Measure", NS)}
    subjects = [(s.find("o:MainSubject", NS) is not None,
                 s.findtext("o:SubjectSchemeIdentifier", namespaces=NS),
                 s.findtext("o:SubjectCode", namespaces=NS),
                 s.findtext("o:SubjectHeadingText", namespaces=NS))
                for s in by_form["BC"].iterfind(".//o:Subject", NS)]
    assert subjects == [
        (True, "10", "HIS032000", "HISTORY / Russia & the Former Soviet Union"),
        (True, "93", "NHD", None), (False, "94", "1DTA", None),
        (False, "10", "HIS054000", None),
        (False, "20", None, "Textile industry; letters; Volga")]


def test_epub_accessibility_claims_are_the_opfs():
    ed = products(record()[0])["ED"]
    values = [f.findtext("o:ProductFormFeatureValue", namespaces=NS)
              for f in ed.iterfind(".//o:ProductFormFeature", NS)]
    assert values == ["04", "82", "85", "11", "13", "14", "19", "00"]


def test_related_products_and_prices():
    by_form = products(record()[0])
    related = {rp.findtext("o:ProductIdentifier[o:ProductIDType='15']/o:IDValue",
                           namespaces=NS): [c.text for c in rp.iterfind(
                               "o:ProductRelationCode", NS)]
               for rp in by_form["ED"].iterfind(".//o:RelatedProduct", NS)}
    assert related == {"9781739000011": ["06", "13"], "9780306406157": ["06", "13"]}
    related = {rp.findtext("o:ProductIdentifier[o:ProductIDType='15']/o:IDValue",
                           namespaces=NS): [c.text for c in rp.iterfind(
                               "o:ProductRelationCode", NS)]
               for rp in by_form["BC"].iterfind(".//o:RelatedProduct", NS)}
    assert related == {"9781739000004": ["06", "27"], "9780306406157": ["06"]}
    prices = [(p.findtext("o:PriceType", namespaces=NS), p.findtext("o:PriceAmount",
                                                                     namespaces=NS),
               p.findtext("o:CurrencyCode", namespaces=NS))
              for p in by_form["BC"].iterfind(".//o:Price", NS)]
    assert prices == [("02", "18.90", "GBP"), ("01", "24.95", "USD")]


def test_publishing_detail():
    p = products(record()[0])["BC"]
    assert p.findtext(".//o:PublisherName", namespaces=NS) == "Northfield Press"
    assert p.findtext(".//o:PublishingStatus", namespaces=NS) == "04"  # published before
    date = p.find(".//o:PublishingDate/o:Date", NS)
    assert (date.get("dateformat"), date.text) == ("00", "20240912")
    forthcoming = products(record(make_meta(date="2025-03"))[0])["BC"]
    assert forthcoming.findtext(".//o:PublishingStatus", namespaces=NS) == "02"
    assert forthcoming.find(".//o:PublishingDate/o:Date", NS).get("dateformat") == "01"


def test_record_is_reproducible():
    assert record()[0] == record()[0]


def test_no_publisher_no_record():
    data, diagnostics = record(make_meta(publisher=None))
    assert data is None and [d.code for d in diagnostics.errors] == ["R020"]


def test_missing_isbn_leaves_the_format_out():
    data, diagnostics = record(make_meta(isbn={"epub": "978-1-7390000-0-4"}))
    assert set(products(data)) == {"ED"}
    assert "R023" in {d.code for d in diagnostics}


@pytest.mark.parametrize("text, expected", [
    ("BISAC:HIS032000", onix_subjects.Subject("10", "HIS032000")),
    ("bisac: his032000 History / Russia", onix_subjects.Subject("10", "HIS032000", "History / Russia")),
    ("THEMA:NHD", onix_subjects.Subject("93", "NHD")),
    ("THEMA:1DTA-RU", onix_subjects.Subject("94", "1DTA-RU")),
    ("THEMA:3MPB", onix_subjects.Subject("96", "3MPB")),
    ("HISTORY / Russia", None),
    ("BISAC:HIS32", "not a BISAC code"),
    ("THEMA:7XX", "not a Thema code"),
])
def test_parse_subject(text, expected):
    parsed = onix_subjects.parse_subject(text)
    if isinstance(expected, str):
        assert expected in parsed
    else:
        assert parsed == expected


def test_bad_subject_code_is_an_error():
    _, diagnostics = record(make_meta(subject=["BISAC:HIS32"]))
    assert [d.code for d in diagnostics.errors] == ["R022"]


def test_subject_label_for_epub_and_pdf():
    assert onix_subjects.subject_label("BISAC:HIS032000 HISTORY / Russia") == "HISTORY / Russia"
    assert onix_subjects.subject_label("THEMA:NHD") == "NHD"
    assert onix_subjects.subject_label("Free text") == "Free text"


def test_prices_model():
    prices = Prices.model_validate({"paperback": {"usd": 24.95, "GBP": "18.9", "EUR": 0}})
    assert prices.for_format("paperback") == {"EUR": Decimal("0.00"), "GBP": Decimal("18.90"),
                                              "USD": Decimal("24.95")}
    assert prices.for_format("epub") == {}
    for bad, code in (({"paperback": {"XXX": 1}}, "M020"), ({"paperback": {"USD": -1}}, "M020"),
                      ({"paperback": {"USD": 1.999}}, "M020"), ({"paperback": 3}, "M017"),
                      ({"audiobook": {"USD": 1}}, "extra_forbidden")):
        with pytest.raises(ValidationError) as info:
            Prices.model_validate(bad)
        assert info.value.errors()[0]["type"] == code


def test_free_of_charge():
    data, _ = record(prices={"epub": {"USD": 0}, "paperback": {"USD": 5}, "hardcover": {"USD": 9}})
    ed = products(data)["ED"]
    assert ed.findtext(".//o:UnpricedItemType", namespaces=NS) == "01"
    assert validate(data, "rng") == []


def test_language_codes():
    assert onix.language_code("de-CH") == "ger"
    assert onix.language_code("ru") == "rus"
    assert onix.language_code("fr") == "fre"
