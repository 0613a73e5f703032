"""ONIX: the screen PDF as its own Product (ED + E107) when isbn.pdf is given."""

from __future__ import annotations

import pytest
from lxml import etree

from make_book.errors import Diagnostics
from make_book.release import onix, onix_codes
from tests.release.conftest import HARDCOVER, make_meta
from tests.release.test_release_onix import NS, record, validate

pytest.importorskip("onixcheck")
PDF_ISBN = "978-1-7390000-2-8"
ISBNS = {"epub": "978-1-7390000-0-4", "paperback": "978-1-7390000-1-1",
         "hardcover": HARDCOVER, "pdf": PDF_ISBN}
PRICES = {"paperback": {"USD": 24.95}, "hardcover": {"USD": 45}, "epub": {"USD": 9.99},
          "pdf": {"USD": 7.5, "GBP": 6}}


def pdf_product(data: bytes) -> etree._Element:
    tree = etree.fromstring(data)
    found = [p for p in tree.iterfind("o:Product", NS)
             if p.findtext("o:DescriptiveDetail/o:ProductFormDetail", namespaces=NS) == "E107"]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("schema", ["xsd", "rng"])
def test_pdf_product_validates(schema):
    data, diagnostics = record(make_meta(isbn=ISBNS), prices=PRICES,
                               built=("epub", "pdf", "screen"))
    assert not diagnostics.items, [d.format() for d in diagnostics]
    assert validate(data, schema) == []


def test_pdf_product_form_isbn_price_extents_and_relations():
    data, _ = record(make_meta(isbn=ISBNS), prices=PRICES, built=("epub", "pdf", "screen"))
    p = pdf_product(data)
    assert p.findtext("o:DescriptiveDetail/o:ProductForm", namespaces=NS) == "ED"
    assert p.findtext("o:ProductIdentifier/o:IDValue", namespaces=NS) == "9781739000028"
    assert p.findtext("o:RecordReference", namespaces=NS).endswith("-pdf")
    features = [f.findtext("o:ProductFormFeatureValue", namespaces=NS)
                for f in p.iterfind("o:DescriptiveDetail/o:ProductFormFeature", NS)]
    assert features == list(onix_codes.PDF_FEATURES)
    extents = {x.findtext("o:ExtentType", namespaces=NS): x.findtext("o:ExtentValue",
                                                                     namespaces=NS)
               for x in p.iterfind("o:DescriptiveDetail/o:Extent", NS)}
    assert extents == {"00": "298", "03": "14", "11": "312"}
    prices = {x.findtext("o:CurrencyCode", namespaces=NS): x.findtext("o:PriceAmount",
                                                                      namespaces=NS)
              for x in p.iterfind("o:ProductSupply/o:SupplyDetail/o:Price", NS)}
    assert prices == {"USD": "7.50", "GBP": "6.00"}
    related = {r.findtext("o:ProductIdentifier/o:IDValue", namespaces=NS):
               [c.text for c in r.iterfind("o:ProductRelationCode", NS)]
               for r in p.iterfind("o:RelatedMaterial/o:RelatedProduct", NS)}
    assert related["9781739000011"] == ["06", "13"]  # the paperback it is based on
    assert related["9781739000004"] == ["06"]  # the EPUB: an alternative format
    # and the paperback names the PDF as its electronic version
    tree = etree.fromstring(data)
    paperback = next(q for q in tree.iterfind("o:Product", NS)
                     if q.findtext("o:DescriptiveDetail/o:ProductForm", namespaces=NS) == "BC")
    codes = [c.text for r in paperback.iterfind("o:RelatedMaterial/o:RelatedProduct", NS)
             if r.findtext("o:ProductIdentifier/o:IDValue", namespaces=NS) == "9781739000028"
             for c in r.iterfind("o:ProductRelationCode", NS)]
    assert codes == ["06", "27"]


def test_screen_pdf_without_isbn_is_left_out_with_a_warning():
    isbns = {k: v for k, v in ISBNS.items() if k != "pdf"}
    diagnostics = Diagnostics()
    products = onix.products_for(make_meta(isbn=isbns), built={"epub", "pdf", "screen"},
                                 pages=100, diagnostics=diagnostics)
    assert "pdf" not in [p.format for p in products]
    assert [d.code for d in diagnostics.warnings] == ["R023"]
    assert "isbn.pdf" in diagnostics.warnings[0].hint


def test_no_pdf_product_unless_the_screen_pdf_is_built():
    products = onix.products_for(make_meta(isbn=ISBNS), built={"epub", "pdf"}, pages=100,
                                 diagnostics=Diagnostics())
    assert [p.format for p in products] == ["epub", "paperback", "hardcover"]
