"""Facts read back from the built files: what the release reports is what was shipped.

- EPUB: word count of the reading order, the accessibility claims of its package document,
  whether its navigation has a page-list;
- PDF: page count, pages before arabic page 1 (from ``/PageLabels``), and the fonts it uses,
  each with whether it is embedded.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

OPF_NS = {"opf": "http://www.idpf.org/2007/opf", "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
XHTML = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"


@dataclass(frozen=True)
class EpubFacts:
    words: int
    features: tuple[str, ...] = ()  # schema:accessibilityFeature
    summary: str | None = None  # schema:accessibilitySummary
    conforms_to: tuple[str, ...] = ()  # dcterms:conformsTo
    has_page_list: bool = False
    identifier: str | None = None  # the package's unique identifier


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def epub_facts(path: Path) -> EpubFacts:
    with zipfile.ZipFile(path) as z:
        container = etree.fromstring(z.read("META-INF/container.xml"), _parser())
        opf_path = container.find(".//c:rootfile", OPF_NS).get("full-path")
        opf = etree.fromstring(z.read(opf_path), _parser())
        base = posixpath.dirname(opf_path)
        items = {i.get("id"): i for i in opf.iterfind(".//opf:manifest/opf:item", OPF_NS)}

        def read(item) -> etree._Element:
            name = posixpath.normpath(posixpath.join(base, item.get("href")))
            return etree.fromstring(z.read(name), _parser())

        words = 0
        for ref in opf.iterfind(".//opf:spine/opf:itemref", OPF_NS):
            item = items.get(ref.get("idref"))
            if item is None or item.get("media-type") != "application/xhtml+xml":
                continue
            body = read(item).find(f"{{{XHTML}}}body")
            if body is not None:
                words += len(re.findall(r"\S+", " ".join(body.itertext())))
        has_page_list = False
        for item in items.values():
            if "nav" in (item.get("properties") or "").split():
                nav = read(item)
                has_page_list = any(
                    "page-list" in (el.get(f"{{{EPUB_NS}}}type") or "").split()
                    for el in nav.iter(f"{{{XHTML}}}nav"))
    unique = opf.get("unique-identifier")
    ident = next((el.text.strip() for el in opf.iterfind(
        ".//opf:metadata/{http://purl.org/dc/elements/1.1/}identifier", OPF_NS)
        if el.get("id") == unique and el.text), None)
    meta = [(m.get("property"), (m.text or "").strip())
            for m in opf.iterfind(".//opf:metadata/opf:meta", OPF_NS) if m.get("property")]
    return EpubFacts(
        words=words,
        features=tuple(v for k, v in meta if k == "schema:accessibilityFeature"),
        summary=next((v for k, v in meta if k == "schema:accessibilitySummary"), None),
        conforms_to=tuple(v for k, v in meta if k == "dcterms:conformsTo"),
        has_page_list=has_page_list, identifier=ident)


@dataclass(frozen=True)
class PdfFont:
    name: str
    embedded: bool
    page: int  # 1-based, the first page it is used on


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    front_pages: int  # pages before the first arabic-numbered page (0 without labels)
    fonts: tuple[PdfFont, ...] = field(default=())


def _embedded(font) -> bool:
    import pikepdf
    subtype = str(font.get("/Subtype", ""))
    if subtype == "/Type3":
        return True  # glyphs drawn by the PDF itself
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or not len(descendants):
            return False
        font = descendants[0]
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _fonts_in(resources, seen: dict[str, PdfFont], page: int, depth: int = 0) -> None:
    if resources is None or depth > 8:
        return
    for _, font in (resources.get("/Font") or {}).items():
        name = str(font.get("/BaseFont", "")).lstrip("/") or "(unnamed)"
        if name not in seen:
            seen[name] = PdfFont(name, _embedded(font), page)
    for _, xobject in (resources.get("/XObject") or {}).items():
        if str(xobject.get("/Subtype", "")) == "/Form":
            _fonts_in(xobject.get("/Resources"), seen, page, depth + 1)


def pdf_facts(path: Path | bytes) -> PdfFacts:
    import io

    import pikepdf
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    with pikepdf.open(source) as pdf:
        count = len(pdf.pages)
        front = 0
        labels = pdf.Root.get("/PageLabels")
        if labels is not None and "/Nums" in labels:
            nums = list(labels.Nums)
            for start, entry in zip(nums[0::2], nums[1::2]):
                if str(entry.get("/S", "")) == "/D":
                    front = int(start)
                    break
        seen: dict[str, PdfFont] = {}
        for n, page in enumerate(pdf.pages, start=1):
            _fonts_in(page.obj.get("/Resources"), seen, n)
    return PdfFacts(count, front, tuple(seen.values()))
