"""Property test (issue 5): generated Markdown (our syntax, raw HTML fragments, quotes,
unicode, control characters) and generated book.yaml values thrown at the loader and the
EPUB renderer. Nothing may escape but a diagnostic (MakeBookError, which build_book turns
into diagnostics); every EPUB produced is well-formed, and a sample passes EPUBCheck."""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree

from make_book.build import build_book
from tests.epubcheck_run import epubcheck_messages

# more for a longer hunt: MAKE_BOOK_FUZZ_EXAMPLES=2000 pytest tests/security/test_fuzz.py
EXAMPLES = int(os.environ.get("MAKE_BOOK_FUZZ_EXAMPLES", "60"))

# Shrinking a failing book can take many minutes; the unshrunk example is readable enough
# in CI. MAKE_BOOK_FUZZ_SHRINK=1 turns it on when hunting a bug.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target] + (
    [Phase.shrink] if os.environ.get("MAKE_BOOK_FUZZ_SHRINK") else [])
EPUBCHECK_SAMPLE = int(os.environ.get("MAKE_BOOK_FUZZ_EPUBCHECK", "5"))

# ----------------------------------------------------------------------------- text

LETTERS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 .,;:!?-")
    + list("äöüßéèçñ ÄÖÜ")                       # accented Latin, German
    + list("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")  # Cyrillic
    + list("שלוםעברית") + list("مرحبا")            # right-to-left
    + ["e\u0301", "a\u0300\u0301", "\u0351", "\u200d", "\u00a0", "\u202e", "\u2066"]
    + ["\"", "'", "--", "---", "...", "«", "»", "„", "“"]
    + ["\x00", "\x07", "\x1b", "\x02", "\x7f", "\ufffe", "\t"]  # debris
    + ["🙂", "𝔘"])                                # outside the BMP
WORDS = st.lists(LETTERS, min_size=1, max_size=12).map("".join)
# metadata that should pass: no debris (a control character in book.yaml is an error)
CLEAN_WORDS = WORDS.map(lambda t: "".join(ch for ch in t if ch.isprintable()) or "x")
IDS = st.sampled_from(["a", "b", "sec", "fig-1", "x"])
LABELS = st.sampled_from(["1", "2", "n", "long-note"])


def _mostly(usual: st.SearchStrategy, unusual: st.SearchStrategy, one_in: int):
    """``unusual`` about once in ``one_in`` draws. Hypothesis favours small integers and
    the first branch of one_of, so the choice hangs on a residue, not on order."""
    return st.integers(0, 1 << 16).flatmap(
        lambda n: unusual if n % one_in == one_in - 1 else usual)


def inline() -> st.SearchStrategy[str]:
    """Mostly what authors write, sometimes what they should not (one hostile or broken
    piece in a few makes most books fail, and the renderer needs books that pass)."""
    w = WORDS
    benign = st.one_of(
        w,
        w.map(lambda t: f"*{t}*"), w.map(lambda t: f"**{t}**"), w.map(lambda t: f"`{t}`"),
        w.map(lambda t: f"[{t}]{{.smallcaps}}"), w.map(lambda t: f"[{t}]{{lang=ru-Latn}}"),
        w.map(lambda t: f"[{t}]{{dir=rtl lang=he}}"),
        st.tuples(w, w).map(lambda p: f"[{p[0]}]{{index=\"{p[1]}\"}}"),
        LABELS.map(lambda label: f"[^{label}]"),
        w.map(lambda t: f"[{t}](https://example.org/{t})"),
        st.sampled_from([
            "<em>", "</em>", "</b>", "<b>bold</b>", "<span lang=\"de\">Wort</span>",
            "<span style=\"color: red\">red</span>", "<img src=\"http://127.0.0.1:9/p.png\">",
            "<img src=\"images/pic.png\">",
            "<custom-tag>x</custom-tag>", "<svg><circle/></svg>", "&amp;", "&bogus;", "&#0;",
            "&#x110000;", "<!-- comment -->", "<?pi x?>", "<![CDATA[x]]>", "<br>", "<br/>",
            "<wbr>", "<sup>2</sup>", "<abbr title=\"t\">T</abbr>", "<math><mi>x</mi></math>",
            "<table><tr><td>cell</td></tr></table>", "<p>", "</div>", "<div>", "\\",
            "![cap](images/pic.png)",
            "![alt text](images/pic.png){#fig-1 alt=\"a described picture\"}",
        ]),
    )
    hostile = st.one_of(
        st.tuples(w, IDS).map(lambda p: f"[{p[0]}](#{p[1]})"),  # an id that may not exist
        IDS.map(lambda i: f"[](#{i}){{.pageref}}"), st.just("<a href=\"#a\">to a</a>"),
        w.map(lambda t: f"[{t}](javascript:alert('{t}'))"),
        w.map(lambda t: f"[{t}](other-file.md)"),
        st.sampled_from([
            "<script>alert(1)</script>", "<iframe src=\"https://example.org\"></iframe>",
            "<span onclick=\"x()\">c</span>", "<object data=\"x\"></object>", "<form></form>",
            "<span style=\"background:url(http://127.0.0.1:9/p.png)\">p</span>",
            "![x](missing.png)", "![](../outside.png)", "![](/etc/passwd)",
        ]),
    )
    return _mostly(benign, hostile, 150)


def block() -> st.SearchStrategy[str]:
    line = st.lists(inline(), min_size=1, max_size=8).map(" ".join)
    return st.one_of(
        line,
        line.map(lambda t: f"## {t}"),  # `&`, `<`, notes in headings reach nav and NCX
        st.tuples(line, IDS).map(lambda p: f"### {p[0]} {{#{p[1]}}}"),
        line.map(lambda t: f"> {t}"), line.map(lambda t: f"> > {t}"),
        st.lists(line, min_size=1, max_size=4).map(lambda ls: "\n".join(f"- {x}" for x in ls)),
        st.lists(line, min_size=1, max_size=3).map(lambda ls: "\n".join(f"1. {x}" for x in ls)),
        st.tuples(LABELS, line).map(lambda p: f"[^{p[0]}]: {p[1]}"),
        st.tuples(st.sampled_from(["epigraph", "verse", "letter", "{.custom lang=fr}"]),
                  line, st.booleans()).map(
            lambda p: f"::: {p[0]}\n{p[1]}\n" + (":::" if p[2] else "")),
        st.tuples(line, line).map(lambda p: f"| {p[0]} | x |\n|---|---|\n| {p[1]} | y |"),
        st.tuples(WORDS, line).map(lambda p: f"{p[0]}\n: {p[1]}"),
        line.map(lambda t: f"```\n{t}\n```"),
        st.just("---"), st.just("* * *"),
    )


def document() -> st.SearchStrategy[str]:
    kinds = _mostly(st.sampled_from(["chapter", "appendix", "preface", "glossary", "dedication",
                                     "introduction", "colophon"]), st.just("nonsense"), 10)
    langs = _mostly(st.sampled_from(["de", "fr", "ru", "he", "en-GB"]), st.just("zz-!!"), 10)
    front = st.one_of(
        st.just(""),
        st.fixed_dictionaries({}, optional={
            "title": CLEAN_WORDS, "kind": kinds, "lang": langs, "numbered": st.booleans(),
        }).map(lambda d: "---\n" + yaml.safe_dump(d, allow_unicode=True) + "---\n\n"))
    heading = _mostly(WORDS.map(lambda t: f"# {t}\n\n"), st.just(""), 10)
    body = st.lists(block(), min_size=1, max_size=10)
    seps = st.sampled_from(["\n\n", "\n", "\n\n\n"])
    # notes defined for every label, so calls resolve; some end up never called (a warning)
    notes = _mostly(st.just("".join(f"\n\n[^{label}]: The note {label}." for label in
                                     ("1", "2", "n", "long-note"))), st.just(""), 10)
    return st.tuples(front, heading, body, seps, notes).map(
        lambda p: p[0] + p[1] + p[3].join(p[2]) + p[4] + "\n")


# ----------------------------------------------------------------------------- metadata

ISBNS = st.sampled_from(["978-3-16-148410-0", "978-0-00-000000-1", "0306406152", "12345",
                         "978-1-7390000-2-8"])


def metadata() -> st.SearchStrategy[str]:
    usual_values = st.fixed_dictionaries(
        {"title": CLEAN_WORDS, "lang": st.sampled_from(["en", "en-US", "de", "ru", "he", "ar", "fr",
                                                  "de-CH", "en-GB", "ru-Latn"])},
        optional={
            "author": st.one_of(CLEAN_WORDS, st.lists(CLEAN_WORDS, min_size=1, max_size=3)),
            "subtitle": CLEAN_WORDS,
            "translator": st.lists(CLEAN_WORDS, min_size=1, max_size=2),
            "date": st.sampled_from(["2024-02-29", "1998-12-01", "2025"]),
            "isbn": st.fixed_dictionaries({}, optional={
                "epub": st.just("978-3-16-148410-0"),
                "paperback": st.just("978-1-7390000-2-8")}),
            "series": st.fixed_dictionaries({"title": CLEAN_WORDS},
                                            optional={"number": st.integers(1, 30)}),
            "publisher": CLEAN_WORDS, "rights": CLEAN_WORDS, "description": CLEAN_WORDS,
            "subject": st.lists(CLEAN_WORDS, min_size=1, max_size=2),
            "notes": st.sampled_from(["footnotes", "endnotes"]),
        })
    unusual_values = st.fixed_dictionaries(
        {"title": st.one_of(WORDS, st.just(""), st.integers(), st.lists(WORDS, max_size=2)),
         "lang": st.sampled_from(["en", "english", "", "x-!!", "zz"])},
        optional={
            "author": st.one_of(st.integers(), st.dictionaries(WORDS, WORDS, max_size=2)),
            "date": st.sampled_from(["2023-02-29", "yesterday"]),
            "isbn": st.fixed_dictionaries({}, optional={"epub": ISBNS, "paperback": ISBNS}),
            "series": st.fixed_dictionaries({"title": WORDS},
                                            optional={"number": st.integers(-3, 0)}),
            "notes": st.just("sidenotes"),
            "tilte": WORDS,  # a typo: an unknown key
        })
    dump = lambda d: yaml.safe_dump(d, allow_unicode=True, sort_keys=False)
    broken = st.sampled_from([
        "title: \"unclosed\nlang: en\n", "title: T\nlang: en\n\tauthor: tab\n",
        "title: T\ntitle: U\nlang: en\n", "", "- a list\n", "title: T\nlang: en\nx: [1, 2\n",
        "title: T\x00\nlang: en\n", "title: T\nlang: en\nauthor: !!python/object:os.system x\n",
    ])
    return _mostly(usual_values.map(dump), st.one_of(unusual_values.map(dump), broken), 8)


# ----------------------------------------------------------------------------- the test

def assert_inert(root: etree._Element) -> None:
    """No active content survived: no script, frame or object, no event handler, no
    javascript: URL, no style loading a resource."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert etree.QName(el).localname not in {"script", "iframe", "object", "embed", "form"}
        for attr, value in el.attrib.items():
            name = etree.QName(attr).localname.lower()
            assert not name.startswith("on"), (attr, value)
            assert not value.strip().lower().startswith("javascript:"), (attr, value)
            if name == "style":
                assert "url(" not in value.lower(), value


def check_well_formed(epub: Path) -> int:
    """Every XML file in the package parses; returns the XHTML's total size."""
    size = 0
    with zipfile.ZipFile(epub) as z:
        assert z.namelist()[0] == "mimetype"
        for name in z.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                data = z.read(name)
                root = etree.fromstring(data, etree.XMLParser(resolve_entities=False,
                                                              no_network=True))
                if name.endswith(".xhtml"):
                    size += len(data)
                    assert_inert(root)
        opf = z.read("EPUB/content.opf")
        assert b"scripted" not in opf and b"remote-resources" not in opf
    return size


@pytest.mark.claim("S12", "S33", "S55")
def test_generated_books_give_diagnostics_or_valid_epubs(tmp_path):
    produced: list[tuple[int, Path]] = []
    counts = {"built": 0, "refused": 0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, phases=PHASES,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(meta=metadata(), chapters=st.lists(document(), min_size=1, max_size=3))
    def build_one(meta: str, chapters: list[str]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "fuzzed"
            (root / "chapters").mkdir(parents=True)
            (root / "images").mkdir()
            (root / "images" / "pic.png").write_bytes(_picture())
            (root / "book.yaml").write_text(meta, encoding="utf-8")
            for n, text in enumerate(chapters, start=1):
                (root / "chapters" / f"{n:02d}.md").write_text(text, encoding="utf-8",
                                                               errors="surrogatepass")
            result = build_book(root, ["epub"], Path(tmp) / "out")  # raises on any bug
            if not result.ok:
                assert result.diagnostics.errors, "a failed build must say why"
                counts["refused"] += 1
                return
            counts["built"] += 1
            [artifact] = result.artifacts
            size = check_well_formed(artifact.path)
            keep = tmp_path / f"sample-{len(produced)}.epub"
            shutil.copyfile(artifact.path, keep)
            produced.append((size, keep))

    build_one()
    assert counts["built"] > 0 and counts["refused"] > 0, counts
    # EPUBCheck on the richest books produced (it costs seconds each)
    for _, epub in sorted(produced, reverse=True)[:EPUBCHECK_SAMPLE]:
        assert epubcheck_messages(epub) == [], epub


_PICTURE: bytes | None = None


def _picture() -> bytes:
    global _PICTURE
    if _PICTURE is None:
        from io import BytesIO

        from PIL import Image
        buffer = BytesIO()
        Image.new("RGB", (32, 24), (120, 80, 40)).save(buffer, "PNG")
        _PICTURE = buffer.getvalue()
    return _PICTURE


# ----------------------------------------------------------------------------- book.yaml,
# layout.yaml and layout overrides (issue 13): any YAML shape under the keys the loaders
# read, anchors and aliases among them, and override files of every kind. Nothing may
# escape build_book but its diagnostics.

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2, 10 ** 6), CLEAN_WORDS,
                    st.sampled_from(["", "1e999999", "²", "css/epub.css", "../x", "/etc/passwd",
                                     "fonts/x.otf", "none", "avoid", "default", "nonexistent",
                                     "-1", "24.95", "2024-02-30", "\u202e", "a" * 300]))
ANY_VALUE = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(CLEAN_WORDS, st.sampled_from(
                                ["en", "epub", "print", "faces", "family", "file", "weight",
                                 "style", "USD", "title", "number", "part", "contents"])),
                                inner, max_size=3)),
    max_leaves=12)
BOOK_KEYS = ["title", "subtitle", "author", "translator", "creator", "lang", "date",
             "publisher", "rights", "source", "subject", "identifier", "printing", "isbn",
             "series", "cover-image", "layout", "print", "notes", "contents", "price",
             "indexes", "edition", "description", "printings", "formats", "edition-number"]
LAYOUT_KEYS = ["name", "description", "extends", "stylesheets", "fonts", "print", "strings"]


def with_aliases(text: str, draw_alias: bool) -> str:
    """``text`` (a YAML mapping) with its first top-level value anchored and reused by a
    later key, when asked: the loaders' alias handling sees real use."""
    lines = text.split("\n")
    if not draw_alias or len(lines) < 3 or ":" not in lines[0] or lines[1].startswith(" "):
        return text
    key, _, value = lines[0].partition(":")
    second = next((i for i in range(1, len(lines)) if lines[i] and not lines[i][0].isspace()
                   and ":" in lines[i]), None)
    if second is None:
        return text
    lines[0] = f"{key}: &v{value}"
    other, _, _ = lines[second].partition(":")
    block = second + 1
    while block < len(lines) and lines[block][:1].isspace():
        block += 1
    return "\n".join(lines[:second] + [f"{other}: *v"] + lines[block:])


def shaped_yaml(keys: list[str], required: dict) -> st.SearchStrategy[str]:
    values = st.fixed_dictionaries(required, optional={k: ANY_VALUE for k in keys
                                                       if k not in required})
    return st.tuples(values, st.booleans()).map(lambda p: with_aliases(
        yaml.safe_dump(p[0], allow_unicode=True, sort_keys=False), p[1]))


OVERRIDE_FILES = st.dictionaries(
    st.sampled_from(["css/epub.css", "css/print.css", "templates/chapter.xhtml",
                     "fonts/x.otf", "strings.yaml", "css/cover.css"]),
    st.one_of(st.sampled_from([
        "body { color: red }", "@import url(http://127.0.0.1:9/x.css);",
        "p { background: url('../../../etc/passwd') }", "p::after { content: \"⁂\" }",
        "{% for x in range(10) %}{{ x }}{% endfor %}", "{{ ", "\x00\x01", ""]),
        CLEAN_WORDS),
    max_size=3)


@pytest.mark.claim("S42", "S55")
def test_generated_book_and_layout_yaml_give_diagnostics_or_epubs():
    counts = {"built": 0, "refused": 0}

    @settings(max_examples=max(EXAMPLES // 2, 10), deadline=None, database=None,
              phases=PHASES, suppress_health_check=[HealthCheck.too_slow,
                                                    HealthCheck.data_too_large])
    @given(meta=_mostly(metadata(), shaped_yaml(BOOK_KEYS, {"title": CLEAN_WORDS,
                                                           "lang": st.just("en")}), 2),
           manifest=st.one_of(st.none(), shaped_yaml(LAYOUT_KEYS, {})),
           overrides=OVERRIDE_FILES)
    def build_one(meta: str, manifest: str | None, overrides: dict[str, str]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "fuzzed"
            (root / "chapters").mkdir(parents=True)
            (root / "book.yaml").write_text(meta, encoding="utf-8")
            (root / "chapters" / "01.md").write_text("# One\n\nText[^1].\n\n[^1]: A note.\n",
                                                     encoding="utf-8")
            if manifest is not None:
                (root / "layout").mkdir()
                (root / "layout" / "layout.yaml").write_text(manifest, encoding="utf-8")
            for rel, text in overrides.items():
                (root / "layout" / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / "layout" / rel).write_text(text, encoding="utf-8")
            result = build_book(root, ["epub"], Path(tmp) / "out")  # raises on any bug
            if result.ok:
                counts["built"] += 1
                check_well_formed(result.artifacts[0].path)
            else:
                assert result.diagnostics.errors, "a failed build must say why"
                counts["refused"] += 1

    build_one()
    assert counts["built"] > 0 and counts["refused"] > 0, counts
