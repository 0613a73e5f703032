"""No output carries script or a remote resource, whatever the layout's CSS and templates say
(issue 13): EPUB CSS is read with a CSS parser and judged after unescaping, and the finished
EPUB and the print HTML are checked as a whole."""

from __future__ import annotations

import pytest
from lxml import etree

from make_book.errors import Diagnostics
from make_book.render.active_content import check_print_html, findings
from make_book.layouts.css_urls import css_urls, refused
from tests.security.bookcase import (
    PREVIOUS,
    assert_clean_result,
    build,
    diagnostic_lines,
    plant_artifact,
    write_book,
)

CHAPTER = "# One\n\nA short chapter of plain text.\n"
HOST = "127.0.0.1:{port}"

# each stylesheet makes a reader fetch from the server (once unescaped)
CSS_CASES = {
    "url": "p {{ background: url(http://{host}/a.png) }}",
    "quoted": 'p {{ background: url("https://{host}/b.png") }}',
    "escaped function": "p {{ background: \\75 rl(http://{host}/c.png) }}",
    "escaped colon": 'p {{ background: url("http\\3a //{host}/d.png") }}',
    "image-set string": 'p {{ background: image-set("http://{host}/e.png" 1x) }}',
    "webkit image-set": 'p {{ background: -webkit-image-set(url(//{host}/f.png) 1x) }}',
    "schemeless": "p {{ background: url(//{host}/g.png) }}",
    "backslash host": "p {{ background: url(/\\\\{host}/h.png) }}",
    "import string": '@import "http://{host}/i.css";',
    "import url": "@import url(//{host}/j.css) screen;",
    "font src": '@font-face {{ font-family: X; src: url(http://{host}/k.woff) }}',
    "src function": '@font-face {{ font-family: X; src: src("http://{host}/l.woff") }}',
    "nested in media": "@media print {{ p {{ background: url(http://{host}/m.png) }} }}",
    "nested in supports": "@supports (display: grid) {{ p {{ cursor: url(http://{host}/n) }} }}",
    "tab in scheme": 'p {{ background: url("ht\\9 tp://{host}/o.png") }}',
    "cross-fade": 'p {{ background: cross-fade(url(http://{host}/p.png), red 50%) }}',
    "data css": '@import url("data:text/css,p{{background:url(http://{host}/q.png)}}");',
    "data svg": "p {{ background: url('data:image/svg+xml,<svg/>') }}",
}


@pytest.mark.claim("S23")
@pytest.mark.parametrize("name", list(CSS_CASES))
def test_every_url_form_is_found_and_refused(name):
    css = CSS_CASES[name].format(host="example.org")
    urls = css_urls(css)
    assert urls, css
    assert any(refused(u) for u in urls), (css, urls)


@pytest.mark.claim("S23")
def test_what_an_epub_stylesheet_may_keep():
    assert refused("../fonts/a.woff2") is None and refused("images/x.png") is None
    assert refused("#frag") is None
    assert refused("data:font/woff2;base64,AAAA") is None
    assert refused("data:image/png;base64,AAAA") is None
    assert refused("javascript:alert(1)") == "a javascript: URL"
    assert refused("file:///etc/passwd") == "a file: URL"
    assert refused(" \t//evil/x") == "a remote resource"
    assert refused("file:///make-book/book/x.png", local_schemes=("file",)) is None
    # a namespace is a name, never loaded
    assert css_urls('@namespace epub "http://www.idpf.org/2007/ops";') == []


@pytest.mark.claim("S23")
@pytest.mark.parametrize("name", list(CSS_CASES))
def test_an_override_stylesheet_that_loads_anything_fails_the_epub(http_server, tmp_path,
                                                                   name):
    css = CSS_CASES[name].format(host=HOST.format(port=http_server.port))
    book = write_book(tmp_path / "styled", {"chapters/01-one.md": CHAPTER,
                                            "layout/css/epub.css": css})
    out = tmp_path / "out"
    artifact = plant_artifact(out, "styled")
    result = build(book, out)
    assert_clean_result(result)
    assert result.exit_code == 1, result.output
    assert any(" E010 " in line for line in diagnostic_lines(result)), result.output
    assert artifact.read_bytes() == PREVIOUS
    assert http_server.requests == []


TEMPLATE_CASES = {
    "script": "<script>fetch('//{host}/s')</script>",
    "script in svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
    "handler": '<p onclick="alert(1)">x</p>',
    "handler on body-ish": '<div onload="x()">y</div>',
    "javascript link": '<a href="javascript:alert(1)">x</a>',
    "javascript link, spaced": '<a href=" java&#9;script:alert(1)">x</a>',
    "remote image": '<img src="http://{host}/i.png" alt=""/>',
    "remote srcset": '<img src="a.png" srcset="a.png 1x, //{host}/j.png 2x" alt=""/>',
    "remote style": '<p style="background: url(//{host}/k.png)">x</p>',
    "style element": "<style>p {{ background: url(http://{host}/l.png) }}</style>",
    "remote stylesheet": '<link rel="stylesheet" href="https://{host}/m.css"/>',
    "iframe": '<iframe src="about:blank"></iframe>',
    "object": '<object data="x.swf"></object>',
    "form": '<form action="https://{host}/n"><input name="q"/></form>',
    "svg image": ('<svg xmlns="http://www.w3.org/2000/svg" '
                  'xmlns:xlink="http://www.w3.org/1999/xlink">'
                  '<image xlink:href="http://{host}/o.png"/></svg>'),
    "meta refresh": '<meta http-equiv="refresh" content="0;url=http://{host}/p"/>',
    "base": '<base href="http://{host}/"/>',
    "video poster": '<video poster="http://{host}/q.png"></video>',
}


@pytest.mark.claim("S2", "S24")
@pytest.mark.parametrize("fmt", ["epub", "pdf"])
@pytest.mark.parametrize("name", list(TEMPLATE_CASES))
def test_a_template_cannot_ship_active_content(http_server, tmp_path, name, fmt):
    snippet = TEMPLATE_CASES[name].format(host=HOST.format(port=http_server.port))
    template = ("epub/chapter.xhtml", '{% extends "epub/base.xhtml" %}{% block content %}'
                + snippet + "{{ body }}{% endblock %}") if fmt == "epub" else (
        "print/chapter.html", '<section id="{{ section_id }}" class="mb-chapter" '
        'style="page: {{ page_name }}">' + snippet + "{{ body }}</section>")
    book = write_book(tmp_path / "active", {"chapters/01-one.md": CHAPTER,
                                            f"layout/templates/{template[0]}": template[1]})
    out = tmp_path / "out"
    artifact = plant_artifact(out, "active", fmt)
    result = build(book, out, "--format", fmt)
    assert_clean_result(result)
    assert result.exit_code == 1, result.output
    assert any(" E050 " in line for line in diagnostic_lines(result)), result.output
    assert artifact.read_bytes() == PREVIOUS
    assert http_server.requests == []


@pytest.mark.claim("S25")
def test_links_to_the_web_and_local_resources_pass():
    root = etree.fromstring(
        '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
        '<a href="https://example.org/">web</a><a href="mailto:a@example.org">mail</a>'
        '<a href="#n1">note</a><img src="../images/a.png" alt=""/>'
        '<img src="data:image/png;base64,AAAA" alt=""/>'
        '<svg xmlns="http://www.w3.org/2000/svg"><use href="#shape"/></svg>'
        '</body></html>')
    assert findings(root) == []


@pytest.mark.claim("S24")
def test_print_html_keeps_its_file_urls_and_refuses_remote_ones():
    diagnostics = Diagnostics()
    assert check_print_html('<html><head><style>@font-face { src: url("file:///x/a.otf") }'
                            '</style></head><body><img src="file:///make-book/book/a.png">'
                            "</body></html>", diagnostics, None)
    assert not check_print_html('<html><body><img src="http://example.org/a.png">'
                                "</body></html>", diagnostics, None)
    assert [d.code for d in diagnostics] == ["E050"]


@pytest.mark.claim("S24")
def test_a_cover_template_cannot_ship_active_content(http_server, tmp_path):
    """The generated EPUB cover is laid out from the cover templates too."""
    book = write_book(tmp_path / "covered", {
        "chapters/01-one.md": CHAPTER,
        "layout/templates/cover/front.html":
            f'<h1>{{{{ title }}}}</h1><img src="http://127.0.0.1:{http_server.port}/c.png">'
            "<script>1</script>"})
    out = tmp_path / "out"
    artifact = plant_artifact(out, "covered")
    result = build(book, out)
    assert_clean_result(result)
    assert result.exit_code == 1, result.output
    lines = [line for line in diagnostic_lines(result) if " E050 " in line]
    assert any("the cover has <script>" in line for line in lines), result.output
    assert any("the cover has <img src> loads http://" in line for line in lines), \
        result.output
    assert artifact.read_bytes() == PREVIOUS
    assert http_server.requests == []
