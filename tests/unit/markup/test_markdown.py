"""Our Markdown syntax: spans, fenced divs, figures, on a fresh parser per document."""

from lxml import etree

from make_book.markup.markdown import new_parser, to_html


def tree(md: str) -> etree._Element:
    return etree.fromstring(f"<div>{to_html(md)}</div>")


def test_bracketed_span_with_class_id_and_lang():
    root = tree('He met [Zinoviev]{#z .name lang=ru-Latn} and [the OGPU]{.smallcaps}.')
    spans = root.findall(".//span")
    assert [s.text for s in spans] == ["Zinoviev", "the OGPU"]
    assert spans[0].get("id") == "z" and spans[0].get("class") == "name"
    assert spans[0].get("lang") == "ru-Latn"
    assert spans[1].get("class") == "smallcaps"


def test_span_content_keeps_inline_markup_and_links_still_work():
    root = tree('[*nested* text]{.b} and [a link](#x){.pageref} and [plain](#y).')
    span = root.find(".//span")
    assert span.find("em").text == "nested"
    links = root.findall(".//a")
    assert [(a.get("href"), a.get("class")) for a in links] == [("#x", "pageref"), ("#y", None)]


def test_footnote_reference_is_not_a_span():
    root = tree("Text[^1].\n\n[^1]: Note.")
    assert root.find(".//span") is None
    assert root.find(".//sup") is not None


def test_fenced_divs_nest_and_take_attributes():
    root = tree("::: epigraph\nQuote.\n\n::: {.attribution lang=de}\nJemand\n:::\n:::\n\nAfter.")
    outer = root.find("div")
    assert outer.get("class") == "epigraph"
    inner = outer.find("div")
    assert inner.get("class") == "attribution" and inner.get("lang") == "de"
    assert inner.find("p").text == "Jemand"
    assert root.findall("p")[-1].text == "After."


def test_verse_keeps_line_breaks_but_no_trailing_break():
    root = tree("::: verse\nThe river runs\nthe mill wheel turns\n\nSecond stanza\n:::")
    paragraphs = root.find("div").findall("p")
    assert len(paragraphs) == 2
    assert len(paragraphs[0].findall("br")) == 1
    assert paragraphs[1].findall("br") == []


def test_fence_inside_code_is_text():
    root = tree("```\n::: verse\n```\n")
    assert root.find(".//div") is None
    assert "::: verse" in root.find(".//code").text


def test_lone_image_becomes_figure_with_caption_and_alt():
    root = tree('![The mill, *1924*.](images/mill.jpg){#fig-mill alt="A brick mill by a river"}')
    figure = root.find("figure")
    assert figure.get("id") == "fig-mill"
    img = figure.find("img")
    assert img.get("alt") == "A brick mill by a river"
    assert img.get("data-caption") is None
    caption = figure.find("figcaption")
    assert caption.text == "The mill, " and caption.find("em").text == "1924"


def test_caption_gives_alt_when_none_is_given():
    root = tree("![The *mill*.](images/mill.jpg)")
    assert root.find("figure/img").get("alt") == "The mill."


def test_image_inside_text_is_not_a_figure():
    root = tree("Look ![x](images/x.png) here.")
    assert root.find("figure") is None


def test_tables_and_definition_lists():
    root = tree("| a | b |\n|---|---|\n| 1 | 2 |\n\nTerm\n:   Definition\n")
    assert root.find("table/thead/tr/th").text == "a"
    assert root.find("dl/dd").text == "Definition"


def test_each_document_gets_a_fresh_parser():
    assert new_parser() is not new_parser()
    first = to_html("A[^1].\n\n[^1]: One.")
    second = to_html("B.")
    assert "One." in first and "footnote" not in second
