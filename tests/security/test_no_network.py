"""No network during a build, ever (issue 5): a local server counts requests while books
that point at it are built, and the URL fetcher every WeasyPrint load goes through is tested
on its own."""

from __future__ import annotations

import base64
import logging
import os
import urllib.request

import pytest
from weasyprint import HTML

from make_book.errors import Diagnostics
from make_book.fetch import MAX_DATA_URL, FetchRefused, safe_url_fetcher
from tests.security.bookcase import (
    assert_clean_result,
    build,
    diagnostic_lines,
    png_header,
    write_book,
)


def test_the_server_would_see_a_request(http_server):
    """The instrument works: a real fetch is counted."""
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy env
    direct.open(http_server.url("probe.png"), timeout=5).read()
    assert http_server.requests == ["GET /probe.png"]


@pytest.mark.claim("S4")
def test_manuscript_remote_references_are_never_fetched(http_server, tmp_path):
    book = write_book(tmp_path / "remote", {"chapters/01-one.md": (
        "# One\n\n"
        f"![A pixel]({http_server.url('markdown.png')})\n\n"
        f"<img src=\"{http_server.url('raw.png')}\" alt=\"pixel\">\n\n"
        f"<span style=\"background: url({http_server.url('style.png')})\">styled</span>\n\n"
        f"<link rel=\"stylesheet\" href=\"{http_server.url('sheet.css')}\">\n\n"
        f"Text with <img src=\"//127.0.0.1:{http_server.port}/schemeless.png\" alt=\"x\">.\n")})
    result = build(book, tmp_path / "out", "--format", "all")
    assert_clean_result(result)
    assert http_server.requests == []
    lines = diagnostic_lines(result)
    expected = [
        ("chapters/01-one.md:3: C034 warning: removed remote image", "markdown.png"),
        ("chapters/01-one.md:5: C034 warning: removed remote image", "raw.png"),
        ("chapters/01-one.md:7: C032 removed style on <span>", ""),
        ("chapters/01-one.md:9: C030 removed <link>", ""),
        ("chapters/01-one.md:11: C034 warning: removed remote image", "schemeless.png"),
    ]
    for prefix, name in expected:
        assert any(x.startswith(prefix) and name in x for x in lines), (prefix, result.stderr)
    assert result.exit_code == 1


@pytest.mark.claim("S4")
def test_remote_images_warn_then_fail_under_strict_in_both_formats(http_server, tmp_path):
    book = write_book(tmp_path / "pixels", {"chapters/01-one.md": (
        f"# One\n\n![]({http_server.url('a.png')})\n\n"
        f"<img src=\"https://127.0.0.1:{http_server.port}/b.png\" alt=\"b\">\n")})
    out = tmp_path / "out"
    strict = build(book, out, "--format", "all", "--strict")
    assert strict.exit_code == 1 and not (out / "pixels").exists()
    result = build(book, out, "--format", "all")
    assert_clean_result(result)
    assert result.exit_code == 0, result.output
    assert (out / "pixels" / "pixels.epub").is_file()
    assert (out / "pixels" / "pixels-print.pdf").is_file()
    assert [x.split(":")[1] + ":" + x.split(": ")[1].split()[0]
            for x in diagnostic_lines(result)] == ["3:C034", "5:C034"]
    assert http_server.requests == []


@pytest.mark.claim("S5")
def test_a_book_layout_override_cannot_reach_the_network_in_print(http_server, tmp_path):
    """A book's own layout/ folder is written by whoever sends the manuscript: its CSS is the
    one way a remote URL reaches WeasyPrint, whose fetcher must refuse it."""
    book = write_book(tmp_path / "styled", {
        "chapters/01-one.md": "# One\n\nText.\n",
        "layout/css/print.css": (
            f"@import url({http_server.url('import.css')});\n"
            f"body {{ background: url({http_server.url('background.png')}); }}\n"
            f"@font-face {{ font-family: Remote; src: url({http_server.url('font.otf')}); }}\n"
            "p { font-family: Remote; }\n")})
    result = build(book, tmp_path / "out", "--format", "pdf")
    assert_clean_result(result)
    assert http_server.requests == []
    refused = [x for x in result.stderr.splitlines() if "refused" in x and "127.0.0.1" in x]
    assert refused, result.stderr
    assert result.exit_code == 1


# --------------------------------------------------------------------------- the fetcher

@pytest.fixture
def book(tmp_path):
    root = tmp_path / "book"
    (root / "images").mkdir(parents=True)
    (root / "images" / "ok.png").write_bytes(png_header(4, 4))
    (tmp_path / "secret.txt").write_text("secret\n")
    os.symlink(tmp_path / "secret.txt", root / "images" / "link.png")
    return root


def fetcher_for(book):
    diagnostics = Diagnostics()
    return safe_url_fetcher([book], diagnostics, where=book / "book.yaml"), diagnostics


@pytest.mark.claim("S5")
@pytest.mark.parametrize("scheme", ["http", "https", "ftp", "gopher", "ws", "HTTP"])
def test_fetcher_refuses_network_schemes_without_a_request(scheme, book, http_server):
    fetch, diagnostics = fetcher_for(book)
    url = f"{scheme}://127.0.0.1:{http_server.port}/pixel.png"
    with pytest.raises(FetchRefused):
        fetch(url)
    assert http_server.requests == []
    [d] = diagnostics
    assert d.code == "B010" and d.is_error and url in d.message
    assert d.path == book / "book.yaml"


@pytest.mark.claim("S6")
def test_fetcher_reads_files_inside_the_roots(book):
    fetch, diagnostics = fetcher_for(book)
    response = fetch((book / "images" / "ok.png").as_uri())
    assert response.read() == png_header(4, 4)
    assert response.content_type == "image/png"
    assert not diagnostics


@pytest.mark.parametrize("target", ["/etc/passwd", "{book}/../secret.txt",
                                    "{book}/images/link.png", "{book}/images/../../secret.txt"])
@pytest.mark.claim("S6", "S10")
def test_fetcher_refuses_files_outside_the_roots(target, book):
    fetch, diagnostics = fetcher_for(book)
    path = target.format(book=book)
    with pytest.raises(FetchRefused):
        fetch("file://" + path)
    assert [d.code for d in diagnostics] == ["B010"]
    assert "outside the book and layout folders" in diagnostics.items[0].message


@pytest.mark.claim("S10")
def test_fetcher_refuses_a_file_on_another_host(book):
    fetch, diagnostics = fetcher_for(book)
    with pytest.raises(FetchRefused):
        fetch(f"file://example.org{book}/images/ok.png")
    assert [d.code for d in diagnostics] == ["B010"]


def test_a_missing_file_is_weasyprints_to_report(book):
    fetch, diagnostics = fetcher_for(book)
    with pytest.raises(FetchRefused):
        fetch((book / "images" / "nope.png").as_uri())
    assert not diagnostics


@pytest.mark.claim("S6")
def test_fetcher_decodes_small_data_urls(book):
    fetch, diagnostics = fetcher_for(book)
    payload = base64.b64encode(png_header(2, 2)).decode()
    response = fetch(f"data:image/png;base64,{payload}")
    assert response.read() == png_header(2, 2) and response.content_type == "image/png"
    text = fetch("data:text/css;charset=utf-8,p%20%7B%20color%3A%20red%20%7D")
    assert text.read() == b"p { color: red }" and text.charset == "utf-8"
    assert not diagnostics


@pytest.mark.claim("S6")
def test_fetcher_refuses_data_urls_over_the_limit(book):
    fetch, diagnostics = fetcher_for(book)
    with pytest.raises(FetchRefused):
        fetch("data:image/png;base64," + "A" * MAX_DATA_URL)
    assert [d.code for d in diagnostics] == ["B010"]
    assert "data: URL" in diagnostics.items[0].message


def test_fetcher_accepts_the_old_call_signature(book, http_server):
    """WeasyPrint < 67 called url_fetcher(url, timeout=..., ssl_context=...)."""
    fetch, _ = fetcher_for(book)
    assert fetch((book / "images" / "ok.png").as_uri(), timeout=10, ssl_context=None).read()
    with pytest.raises(FetchRefused):
        fetch(http_server.url("x"), timeout=10, ssl_context=None)
    assert http_server.requests == []


@pytest.mark.claim("S5")
def test_weasyprint_through_the_fetcher_makes_no_request(book, http_server, caplog):
    fetch, diagnostics = fetcher_for(book)
    html = f"""<html><head>
      <link rel="stylesheet" href="{http_server.url('sheet.css')}">
      <style>
        @import url({http_server.url('import.css')});
        body {{ background: url({http_server.url('bg.png')}); }}
        @font-face {{ font-family: X; src: url({http_server.url('f.otf')}); }}
        p {{ font-family: X; }}
      </style></head><body>
      <p>text</p>
      <img src="images/ok.png"><img src="{http_server.url('img.png')}">
      <img src="images/link.png"><img src="file:///etc/passwd"><img src="../secret.txt">
      <img src="data:image/png;base64,{base64.b64encode(png_header(2, 2)).decode()}">
    </body></html>"""
    with caplog.at_level(logging.CRITICAL, logger="weasyprint"):
        pdf = HTML(string=html, base_url=book.as_uri() + "/", url_fetcher=fetch).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert http_server.requests == []
    refused = sorted(d.message.split(":")[0] for d in diagnostics)
    assert len(refused) == 8, [d.message for d in diagnostics]  # 5 remote + 3 outside files
    assert not any("ok.png" in d.message or "data:" in d.message for d in diagnostics)
