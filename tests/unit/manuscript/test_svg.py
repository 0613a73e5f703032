"""SVG figures: hostile drawings refused with their code, good ones published cleaned."""

from __future__ import annotations

import base64

import pytest
from lxml import etree

from make_book.manuscript import svg
from make_book.manuscript.svg import read_svg
from tests.security.bookcase import png_header

NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'


def drawing(body: str, attrs: str = 'viewBox="0 0 100 50"', prolog: str = "") -> bytes:
    return f'{prolog}<svg {NS} {XLINK} {attrs}>{body}</svg>'.encode()


def codes(raw: bytes) -> list[str]:
    return [f.code for f in read_svg(raw).findings]


def messages(raw: bytes) -> str:
    return " | ".join(f.message for f in read_svg(raw).findings)


# ----------------------------------------------------------------------------- hostile

HOSTILE = {
    "script element": ("<script>alert(1)</script>", "A011", "contains a script (<script>)"),
    "onload": ('<rect width="1" height="1" onload="alert(1)"/>', "A011", "onload on <rect>"),
    "onclick on root is found too": ('<g onclick="x()"/><g onmouseover="y()"/>', "A011",
                                     "onclick on <g> and 1 more"),
    "javascript link": ('<a xlink:href="javascript:alert(1)"><rect/></a>', "A011",
                        "javascript: link"),
    "javascript hidden by a tab": ('<a href="java\tscript:alert(1)"><rect/></a>', "A011",
                                   "javascript: link"),
    "animated link": ('<a><set attributeName="href" to="javascript:x()"/></a>', "A011",
                      "<set attributeName=\"href\">"),
    "external http image": ('<image href="https://example.com/x.png" width="1" height="1"/>',
                            "A012", "https://example.com/x.png"),
    "file url": ('<image xlink:href="file:///etc/passwd"/>', "A012", "file:///etc/passwd"),
    "relative file": ('<image href="../secret.png"/>', "A012", "../secret.png"),
    "use of another file": ('<use href="other.svg#shape"/>', "A012", "other.svg#shape"),
    "css url in style attribute": ('<rect style="fill: url(http://x.test/p.svg#g)"/>', "A012",
                                   "url(http://x.test/p.svg#g) in style on <rect>"),
    "css import": ("<style>@import 'http://x.test/a.css';</style>", "A012", "@import"),
    "css escape": (r'<style>rect { fill: u\72l(x) }</style>', "A012", "CSS escapes"),
    "presentation attribute url": ('<rect fill="url(remote.svg#p)"/>', "A012", "url(remote"),
    "svg data url": ('<image href="data:image/svg+xml,&lt;svg/&gt;"/>', "A012",
                     "data:image/svg+xml"),
    "foreignObject": ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
                      "</foreignObject>", "A013", "<foreignObject>"),
}


@pytest.mark.claim("S26")
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_drawing_is_refused(case):
    body, code, words = HOSTILE[case]
    prepared = read_svg(drawing(body))
    assert prepared.refused
    assert code in [f.code for f in prepared.findings]
    assert words in messages(drawing(body))


def test_every_problem_is_reported_at_once():
    raw = drawing('<script/><rect onload="x()"/><image href="http://a.test/b.png"/>'
                  '<foreignObject/>')
    assert codes(raw) == ["A011", "A011", "A012", "A013"]


@pytest.mark.claim("S26")
def test_billion_laughs_is_refused_before_parsing():
    levels = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    raw = (f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY l0 "ha">{levels}]>'
           f'<svg {NS} viewBox="0 0 1 1"><title>&l9;</title></svg>').encode()
    assert codes(raw) == ["A014"]
    assert "entities" in messages(raw)


@pytest.mark.claim("S26")
def test_external_entity_is_refused():
    raw = (f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<svg {NS} viewBox="0 0 1 1"><title>&x;</title></svg>').encode()
    assert codes(raw) == ["A014"]


def test_standard_doctype_is_accepted_and_dropped():
    raw = drawing("<rect width='1' height='1'/>", prolog=(
        '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'))
    prepared = read_svg(raw)
    assert not prepared.refused
    assert b"DOCTYPE" not in prepared.data


@pytest.mark.claim("S26")
def test_file_over_the_byte_limit_is_refused_unparsed():
    raw = drawing("<!--" + "x" * svg.MAX_BYTES + "-->")
    assert codes(raw) == ["A015"]
    assert "over the limit of 5 MB" in messages(raw)


@pytest.mark.claim("S26")
def test_too_many_elements():
    raw = drawing("<g/>" * (svg.MAX_ELEMENTS + 1))
    assert codes(raw) == ["A015"]
    assert f"over the limit of {svg.MAX_ELEMENTS:,}" in messages(raw)


@pytest.mark.claim("S26")
def test_use_bomb_is_refused():
    # each level draws the previous one ten times: 10**7 elements from a few hundred bytes
    levels = ['<g id="l0"><rect width="1" height="1"/></g>']
    for i in range(1, 8):
        levels.append(f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>")
    raw = drawing("<defs>" + "".join(levels) + '</defs><use href="#l7"/>')
    assert codes(raw) == ["A015"]
    assert "<use>" in messages(raw)


@pytest.mark.claim("S26")
def test_inline_picture_bomb_is_refused():
    bomb = base64.b64encode(png_header(20_000, 20_000)).decode()
    raw = drawing(f'<image href="data:image/png;base64,{bomb}" width="1" height="1"/>')
    assert codes(raw) == ["A015"]
    assert "over 40,000,000 pixels (<image>)" in messages(raw)
    small = base64.b64encode(png_header(20, 20)).decode()
    assert codes(drawing(f'<image href="data:image/png;base64,{small}"/>')) == []


@pytest.mark.claim("S26")
def test_use_cycle_is_refused():
    raw = drawing('<g id="a"><use xlink:href="#b"/></g><g id="b"><use href="#a"/></g>')
    assert codes(raw) == ["A015"]
    assert "refers to itself" in messages(raw)


def test_use_of_an_ancestor_is_a_cycle():
    assert codes(drawing('<g id="a"><g><use href="#a"/></g></g>')) == ["A015"]


def test_deep_nesting_hits_the_parser_limit():
    raw = drawing("<g>" * 300 + "</g>" * 300)
    assert codes(raw) == ["A010"]


def test_not_well_formed():
    raw = f"<svg {NS}><rect></svg>".encode()
    assert codes(raw) == ["A010"]


@pytest.mark.parametrize("raw, words", [
    (b'<svg viewBox="0 0 1 1"/>', "<svg> without the SVG namespace"),
    (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "root element is <html>"),
])
def test_not_an_svg_root(raw, words):
    assert codes(raw) == ["A017"]
    assert words in messages(raw)


def test_no_size():
    raw = f'<svg {NS} width="100%"><rect/></svg>'.encode()
    assert codes(raw) == ["A016"]


# ----------------------------------------------------------------------------- accepted

@pytest.mark.parametrize("attrs, size", [
    ('viewBox="0 0 818 193"', (818, 193)),
    ('width="2in" height="1in"', (192, 96)),
    ('width="72pt" viewBox="0 0 200 100"', (96, 48)),
    ('height="25.4mm" viewBox="0,0,300,150"', (192, 96)),
    ('width="300" height="150"', (300, 150)),
    ('width="50%" height="50%" viewBox="0 0 40 30"', (40, 30)),
])
def test_size_in_css_pixels(attrs, size):
    prepared = read_svg(drawing("<rect/>", attrs))
    assert (prepared.width, prepared.height) == size
    assert prepared.vector and prepared.media_type == "image/svg+xml"


def test_title_is_the_alt_text_candidate():
    raw = drawing("<title>\n  A grey\n square </title><g><title>not this</title></g>")
    assert read_svg(raw).title == "A grey square"
    assert read_svg(drawing("<g><title>inner only</title></g>")).title is None


SMALL_PNG = base64.b64encode(png_header(2, 2)).decode()


def test_internal_references_and_inline_rasters_are_fine():
    raw = drawing('<defs><linearGradient id="g"/><path id="p" d="M0 0"/></defs>'
                  '<rect fill="url(#g)" style="stroke: url(\'#g\')"/><use xlink:href="#p"/>'
                  f'<image href="data:image/png;base64,{SMALL_PNG}" width="1" height="1"/>'
                  '<a href="#p"><text>x</text></a>')
    prepared = read_svg(raw)
    assert not prepared.findings


@pytest.mark.claim("S27")
def test_cleaned_output_drops_editor_data_comments_and_instructions():
    raw = (b'<?xml version="1.0"?>\n<!-- exported -->\n<?xml-stylesheet href="x.css"?>'
           b'<svg xmlns="http://www.w3.org/2000/svg" '
           b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
           b'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
           b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           b'viewBox="0 0 10 10" inkscape:version="1.2">'
           b'<sodipodi:namedview id="nv" inkscape:zoom="2"/>'
           b'<metadata><rdf:RDF><rdf:Description rdf:about="licence"/></rdf:RDF></metadata>'
           b'<text>one <inkscape:x/>two<!-- c --></text>'
           b'<rect inkscape:label="box" width="1" height="1"/></svg>')
    prepared = read_svg(raw)
    assert not prepared.findings
    out = prepared.data
    assert out.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    for gone in (b"inkscape", b"sodipodi", b"<!--", b"xml-stylesheet"):
        assert gone not in out
    root = etree.fromstring(out)
    assert "".join(root.find("{http://www.w3.org/2000/svg}text").itertext()) == "one two"
    assert b"rdf:Description" in out  # licence metadata kept whole


def test_script_inside_metadata_is_still_refused():
    raw = drawing('<metadata><script xmlns="http://www.w3.org/1999/xhtml">x()</script>'
                  "</metadata>")
    assert codes(raw) == ["A011"]


def test_a_drawing_without_view_box_gets_one_so_it_scales():
    prepared = read_svg(drawing("<rect/>", 'width="2in" height="1in"'))
    assert etree.fromstring(prepared.data).get("viewBox") == "0 0 192 96"
    kept = read_svg(drawing("<rect/>", 'width="2in" viewBox="0 0 20 10"'))
    assert etree.fromstring(kept.data).get("viewBox") == "0 0 20 10"
