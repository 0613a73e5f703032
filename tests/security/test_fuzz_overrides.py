"""Property test (issue 13): a book's layout override as an attacker would write it. A
layout.yaml naming generated stylesheets, templates and font faces; stylesheets built from
the URL forms a CSS parser accepts (escapes, ``image-set()``, ``@import``, ``/\\host``,
``data:``); templates from pieces of Jinja; font files that are text, empty, a real font
cut short or a real font with bytes overwritten. Every book ends in an EPUB that loads
nothing from outside and runs nothing, or in diagnostics that each name a file; never an
internal error (build_book raises on any bug)."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from make_book.build import build_book
from make_book.layouts.css_urls import css_urls, refused
from tests.security.test_fuzz import check_well_formed

EXAMPLES = int(os.environ.get("MAKE_BOOK_FUZZ_EXAMPLES", "40")) // 2 or 1
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target] + (
    [Phase.shrink] if os.environ.get("MAKE_BOOK_FUZZ_SHRINK") else [])
REAL_FONT = (Path(__file__).resolve().parents[2] / "layouts" / "default" / "fonts"
             / "LibertinusSerif-Regular.otf")

HOSTS = st.sampled_from(["http://127.0.0.1:9/x", "https://example.org/f", "//127.0.0.1:9/x",
                         "/\\127.0.0.1:9/x", "\\\\127.0.0.1\\x", "ftp://h/x", "file:///etc/passwd",
                         "javascript:alert(1)", "data:text/css,p{}", "data:image/png;base64,iVBO",
                         "data:font/woff2;base64,AAAA", "../../../etc/passwd", "img.png",
                         "fonts/x.otf", "h\\74tp://127.0.0.1:9/x", "\thttp://127.0.0.1:9/x"])


def _escaped(url: str, how: int) -> str:
    """``url`` as one of the spellings a CSS tokenizer reads back as ``url``."""
    if how == 1:
        return "".join(f"\\{ord(c):x} " if c.isalpha() and i % 3 == 0 else c
                       for i, c in enumerate(url))
    if how == 2:
        return url.replace(":", "\\3a ")
    return url


URL_VALUES = st.tuples(HOSTS, st.integers(0, 2), st.sampled_from([
    "url({u})", "url('{u}')", 'url("{u}")', "\\75 rl({u})", "src('{u}')", "image-set('{u}' 1x)",
    '-webkit-image-set("{u}" 1x)', "cross-fade(url({u}), red 50%)", "image('{u}')",
])).map(lambda p: p[2].format(u=_escaped(p[0], p[1])))
RULES = st.one_of(
    URL_VALUES.map(lambda v: f"p {{ background: {v} }}"),
    URL_VALUES.map(lambda v: f"@font-face {{ font-family: X; src: {v} }}"),
    st.tuples(HOSTS, st.booleans()).map(
        lambda p: f"@import {'url(' + repr(p[0]) + ')' if p[1] else repr(p[0])};"),
    URL_VALUES.map(lambda v: f"@media print {{ body {{ list-style: {v} }} }}"),
    URL_VALUES.map(lambda v: f"@supports (display: grid) {{ p {{ cursor: {v}, auto }} }}"),
    st.sampled_from(["p { color: red }", "/* unclosed", "p { content: '\\", "}}}{{{",
                     "p::after { content: \"⁂\" }", "@charset \"latin1\";", "\x00", "\ufeff",
                     "<!-- p {} -->", "@namespace url(http://127.0.0.1:9/ns);"]))
STYLESHEETS = st.lists(RULES, min_size=1, max_size=4).map("\n".join)

TEMPLATE_PIECES = st.sampled_from([
    "{{ body }}", "{{ book.title }}", "{{ meta }}", "{% for c in book.chapters %}{{ c.title }}"
    "{% endfor %}", "{{ cycler.__init__.__globals__ }}", "{{ ''.__class__.__mro__ }}",
    "{% include 'epub/chapter.xhtml' %}", "{% include '../../../etc/passwd' %}",
    "{% extends 'epub/chapter.xhtml' %}", "{{ range(10**9)|list|length }}", "{{ ",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "<script>alert(1)</script>",
    '<img src="http://127.0.0.1:9/p.png"/>', "<a href=\"javascript:x()\">x</a>",
    "<p onclick=\"x()\">p</p>", "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body>",
    "</body></html>", "{{ strings }}", "plain text"])
TEMPLATES = st.lists(TEMPLATE_PIECES, min_size=1, max_size=4).map("".join)


@st.composite
def font_bytes(draw) -> bytes:
    kind = draw(st.sampled_from(["text", "empty", "cut", "overwritten", "table", "real",
                                 "random"]))
    if kind == "text":
        return b"not a font at all\n"
    if kind == "empty":
        return b""
    if kind == "random":
        return draw(st.binary(min_size=1, max_size=200))
    real = REAL_FONT.read_bytes()
    if kind == "cut":
        return real[:draw(st.integers(1, len(real) - 1))]
    if kind == "table":  # one whole table damaged, the table directory intact
        from fontTools.ttLib import TTFont
        tables = TTFont(io.BytesIO(real), lazy=True).reader.tables
        entry = tables[draw(st.sampled_from(sorted(tables.keys())))]
        return (real[:entry.offset] + bytes([draw(st.integers(0, 255))]) * entry.length
                + real[entry.offset + entry.length:])
    if kind == "overwritten":
        start = draw(st.integers(0, len(real) - 64))
        return real[:start] + draw(st.binary(min_size=16, max_size=64)).ljust(64, b"\0") \
            + real[start + 64:]
    return real


@st.composite
def overrides(draw) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    manifest: dict = {}
    if draw(st.booleans()):
        files["css/epub.css"] = draw(STYLESHEETS).encode("utf-8", "surrogatepass")
        manifest["stylesheets"] = {"epub": ["css/epub.css"]}
        if draw(st.integers(0, 5)) == 0:  # now and then not UTF-8
            files["css/epub.css"] += b"\xff\xfe"
    if draw(st.booleans()):
        name = draw(st.sampled_from(["epub/chapter.xhtml", "epub/nav.xhtml"]))
        files[f"templates/{name}"] = draw(TEMPLATES).encode("utf-8")
    if draw(st.booleans()):
        files["fonts/face.otf"] = draw(font_bytes())
        manifest["fonts"] = {"text": ["Face"], "faces": [
            {"family": "Face", "file": "fonts/face.otf", "weight": 400, "style": "normal"}]}
    if manifest and draw(st.integers(0, 3)):
        files["layout.yaml"] = yaml.safe_dump(manifest).encode("utf-8")
    return files


def _assert_loads_nothing(epub: Path) -> None:
    """The package's stylesheets name nothing a reader would fetch, and its documents are
    inert (test_fuzz.check_well_formed)."""
    check_well_formed(epub)
    with zipfile.ZipFile(epub) as z:
        for name in z.namelist():
            if name.endswith(".css"):
                text = z.read(name).decode("utf-8", "replace")
                kept = [u for u in css_urls(text) if refused(u) is not None]
                assert kept == [], (name, kept)


@pytest.mark.claim("S55", "S56")
def test_generated_layout_overrides_give_diagnostics_or_inert_epubs():
    counts = {"built": 0, "refused": 0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=PHASES,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(files=overrides())
    def build_one(files: dict[str, bytes]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "fuzzed"
            (root / "chapters").mkdir(parents=True)
            (root / "book.yaml").write_text("title: Fuzzed\nlang: en\n", encoding="utf-8")
            (root / "chapters" / "01.md").write_text("# One\n\nText[^1].\n\n[^1]: A note.\n",
                                                     encoding="utf-8")
            for rel, data in files.items():
                (root / "layout" / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / "layout" / rel).write_bytes(data)
            result = build_book(root, ["epub"], Path(tmp) / "out")  # raises on any bug
            if result.ok:
                counts["built"] += 1
                _assert_loads_nothing(result.artifacts[0].path)
                return
            counts["refused"] += 1
            errors = result.diagnostics.errors
            assert errors, "a failed build must say why"
            unnamed = [d for d in errors if d.path is None]
            assert not unnamed, unnamed

    build_one()
    assert counts["built"] > 0 and counts["refused"] > 0, counts
