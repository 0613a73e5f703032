"""XHTML pages serialised as HTML5 (render/web/html5.py)."""

from __future__ import annotations

from make_book.render.web.html5 import to_html5

PAGE = ('<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops" lang="en"><head><meta charset="utf-8"/>'
        '<title>T</title></head><body>{}</body></html>')


def test_empty_elements_get_end_tags():
    """An empty span or anchor written <span/> would open an element to an HTML parser
    and swallow the text after it."""
    html = to_html5(PAGE.format('<p>One <span id="page-4" role="doc-pagebreak"/>two '
                                '<a id="x"/>three<br/></p>')).decode()
    assert '<span id="page-4" role="doc-pagebreak"></span>two' in html
    assert '<a id="x"></a>three<br></p>' in html
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")


def test_epub_and_xml_attributes_become_html_ones():
    html = to_html5(PAGE.format('<section epub:type="chapter" role="doc-chapter" '
                                'xml:lang="ru"><p>Да</p></section>')).decode()
    assert '<section role="doc-chapter" lang="ru">' in html
    assert "epub" not in html and "xmlns" not in html


def test_mathml_keeps_its_elements():
    html = to_html5(PAGE.format('<p><math xmlns="http://www.w3.org/1998/Math/MathML">'
                                '<mi>x</mi></math></p>')).decode()
    assert "<math><mi>x</mi></math>" in html
