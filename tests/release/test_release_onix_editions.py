"""ONIX per edition of ``formats:``: the screen PDF as the PDF e-book, kepub/kindle adding no
product (deliveries of the EPUB product), the edition number; schema-valid."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from make_book.errors import Diagnostics
from make_book.release import onix
from tests.release.conftest import EPUB, PAPERBACK, SOURCE_DATE, make_meta

onixcheck = pytest.importorskip("onixcheck")
NS = {"o": onix.NS}
PDF = "978-0-306-40615-7"


def record(built, **meta_changes):
    meta = make_meta(isbn={"epub": EPUB, "paperback": PAPERBACK, "pdf": PDF},
                     edition="Second edition", **meta_changes)
    d = Diagnostics()
    products = onix.products_for(meta, built=set(built), pages=200, front_pages=10,
                                 diagnostics=d)
    return onix.onix_record(meta, "urn:isbn:9781739000004", products, prices=None,
                            source_date=SOURCE_DATE, diagnostics=d), d


def forms(data: bytes) -> list[tuple[str, str | None]]:
    root = etree.fromstring(data)
    return [(p.findtext("o:DescriptiveDetail/o:ProductForm", namespaces=NS),
             p.findtext("o:DescriptiveDetail/o:ProductFormDetail", namespaces=NS))
            for p in root.iterfind("o:Product", NS)]


def test_one_product_per_sold_edition():
    data, _ = record(["epub", "pdf", "screen", "kepub", "kindle", "web"], edition_number=2)
    assert forms(data) == [("ED", "E101"), ("BC", None), ("ED", "E107")]
    root = etree.fromstring(data)
    assert root.xpath("//o:Product[1]/o:DescriptiveDetail/o:EditionNumber/text()",
                      namespaces=NS) == ["2"]
    f = io.BytesIO(data)
    f.name = "onix.xml"
    assert [str(m) for m in onixcheck.validate(f, schemas=("xsd",))] == []


def test_the_screen_pdf_needs_its_isbn():
    meta = make_meta(isbn={"epub": EPUB})
    d = Diagnostics()
    assert [p.format for p in onix.products_for(meta, built={"epub", "screen"},
                                                diagnostics=d)] == ["epub"]
    assert [x.code for x in d] == ["R023"] and "screen PDF" in d.items[0].message
