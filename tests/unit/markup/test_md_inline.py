"""Pandoc's inline syntax as the Markdown stage reads it (md_inline, md_math, md_references)."""

from __future__ import annotations

from lxml import etree

from make_book.markup.markdown import convert, new_parser
from make_book.markup.md_scan import Pairs


def tree(md: str):
    html, reports = convert(md)
    return etree.fromstring(f"<div>{html}</div>"), reports


def test_superscript_subscript_strikeout_follow_pandocs_no_space_rule():
    root, _ = tree("2^10^ H~2~O ~~gone~~ a^b c^ x~y z~")
    p = root[0]
    assert [(el.tag, el.text) for el in p] == [("sup", "10"), ("sub", "2"), ("del", "gone")]
    assert p[-1].tail.endswith("a^b c^ x~y z~")


def test_escapes_cover_all_punctuation_and_a_space_is_no_break():
    root, _ = tree(r"\$5 \^x\^ \@key Mr.\ Smith")
    assert root[0].text == "$5 ^x^ @key Mr.\u00a0Smith"


def test_inline_note_is_a_span_holding_parsed_text():
    root, _ = tree("Text.^[A *note* with `code`.] More.")
    note = root.find(".//span[@class='mb-inline-note']")
    assert note is not None and note.find("em").text == "note"
    assert note.find("code").text == "code"
    assert note.tail == " More."


def test_inline_note_yields_to_code_superscript_and_escape():
    for md in ("`^[x]`", "^[a](#b)^", r"\^[x]"):
        root, _ = tree(md)
        assert root.find(".//span[@class='mb-inline-note']") is None, md


def test_code_attributes_and_raw_html():
    root, reports = tree("`x`{.py #c key=v} `<b>b</b>`{=html} `\\newpage`{=latex}")
    code = root.find(".//code")
    assert code.attrib == {"class": "py", "id": "c", "data-key": "v"}
    assert root.find(".//b").text == "b"
    assert [r.code for r in reports] == ["C102"]
    assert "latex" in reports[0].message and reports[0].snippet.startswith("`\\newpage`")


def test_raw_blocks_html_kept_other_formats_dropped_with_a_report():
    root, reports = tree("```{=html}\n<aside>raw</aside>\n```\n\n~~~{=latex}\n\\x\n~~~\n\nend\n")
    assert root.find("aside").text == "raw"
    assert "\\x" not in etree.tostring(root, encoding="unicode")
    assert [(r.code, r.snippet) for r in reports] == [("C102", "~~~{=latex}")]


def test_raw_fence_inside_a_code_fence_stays_code():
    root, _ = tree("````\n```{=latex}\nx\n```\n````\n")
    assert root.find("aside") is None
    assert "{=latex}" in "".join(root.itertext())


def test_tex_commands_are_dropped_with_a_report():
    root, reports = tree(r"A \textbf{bold} word and \\escaped.")
    assert root[0].text == "A  word and \\escaped."
    assert [r.code for r in reports] == ["C103"]


def test_citations_are_marked_not_resolved():
    root, _ = tree("As [see @doe99, p. 3; @roe] and @smith [p. 4] say; me@example.org.")
    cites = root.findall(".//span[@class='citation']")
    assert [(c.get("data-cites"), c.text) for c in cites] == [
        ("doe99 roe", "[see @doe99, p. 3; @roe]"), ("smith", "@smith [p. 4]")]
    assert "me@example.org" in cites[-1].tail


def test_attributes_as_pandocs_html5_writer():
    root, _ = tree("![c](a.png){width=50% height=120px}\n\n"
                   "x ![i](b.png){width=2in via=feed} [s]{tone=calm lang=fr}")
    first = root.find(".//img[@src='a.png']")
    assert first.get("style") == "width:50%" and first.get("height") == "120"
    second = root.find(".//img[@src='b.png']")
    assert second.get("style") == "width:2in" and second.get("data-via") == "feed"
    span = root.find(".//span")
    assert span.attrib == {"data-tone": "calm", "lang": "fr"}


def test_event_handlers_are_not_disguised_as_data():
    root, _ = tree("[x]{onclick=alert(1)}")
    assert root.find(".//span").get("onclick") == "alert(1)"  # the sanitizer refuses it


def test_mark_and_underline_spans_and_empty_attributes():
    root, _ = tree("[a]{.mark} [b]{.underline .x} [c]{}")
    assert [(el.tag, el.get("class")) for el in root[0]] == [
        ("mark", None), ("u", "x"), ("span", None)]


def test_nested_bracketed_spans():
    root, _ = tree("[a [b]{.i} c]{.o}")
    assert root.find(".//span[@class='o']/span[@class='i']").text == "b"


MATH_CASES = [
    (r"$x^2$ and $$\frac{a}{b}$$", [("inline", "x^2"), ("block", r"\frac{a}{b}")]),
    ("$20 and $30 each", []),  # a digit after the closing $
    ("a $ 1 $ bill", []),      # spaces inside the dollars
    (r"\$b$ c", []),           # an escaped $ opens nothing
    (r"$\text{$c$}$", [("inline", r"\text{$c$}")]),  # a {group} is skipped whole
    (r"$a$5, \$b$, x", [("inline", r"5, \$b")]),  # as Pandoc: the 2nd $ opens
]


def test_math_placeholders_follow_pandocs_rules():
    for md, expected in MATH_CASES:
        root, _ = tree(md)
        spans = root.findall(".//span[@class='mb-math']")
        assert [(s.get("data-display"), s.text) for s in spans] == expected, md


def test_reference_definitions_with_angle_brackets_and_attributes():
    root, _ = tree("[a] and ![b]\n\n[a]: <https://example.org/x y> {.ext}\n[b]: p.png {width=10}\n")
    link = root.find(".//a")
    assert link.get("href") == "https://example.org/x y" and link.get("class") == "ext"
    assert root.find(".//img").get("width") == "10"


def test_reports_do_not_leak_between_documents():
    md = new_parser()
    md.convert("`x`{=latex}")
    assert len(md.mb_reports) == 1
    md.reset()
    md.convert("plain")
    assert md.mb_reports == []


def test_pairs_answer_for_the_unchanged_tail_of_a_rebuilt_text():
    pairs = Pairs("[", "]")
    text = "a [b [c] d] [e"
    assert pairs.match(text, 2) == 10 and pairs.match(text, 5) == 7
    assert pairs.match(text, 12) is None
    rebuilt = "PLACEHOLDER" + text[11:]  # the part after a match, as Python-Markdown keeps it
    assert pairs.match(rebuilt, rebuilt.index("[")) is None
    assert pairs.match("x\\[y]", 1) is None  # an escaped bracket opens nothing
