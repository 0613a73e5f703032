"""The layout's faces are drawn as themselves when Pango falls back to a sibling face."""

from __future__ import annotations

import io

import pikepdf
from weasyprint import HTML

from make_book.render.weasy.fonts import fc_weight, font_configuration, rules_xml
from tests.unit.render.test_pdf_fixtures import default_layout


def fonts_used(layout, body: str) -> set[str]:
    css = layout.font_face_css(lambda f: f.path.as_uri())
    stack = ", ".join(f'"{f}"' for f in layout.font_section.chains.text)
    html = (f"<html><head><style>{css} html {{ font-family: {stack} }}"
            "@page { size: 4in 2in; margin: 0.2in }</style></head>"
            f"<body>{body}</body></html>")
    data = HTML(string=html).write_pdf(font_config=font_configuration(layout))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return {str(f.BaseFont).split("+", 1)[-1]
                for _, f in pdf.pages[0].obj.Resources.Font.items()}


def test_weights_follow_fontconfig():
    assert (fc_weight(400), fc_weight(700), fc_weight(500), fc_weight(450)) == (80, 200, 100, 90)


def test_every_face_gets_its_own_weight_and_slant(tmp_path):
    layout = default_layout(tmp_path)
    xml = rules_xml(layout).decode()
    assert xml.count("<match") == len(layout.fonts)
    assert "<string>LibertinusSerif-BoldItalic</string>" in xml


def test_a_character_the_bold_italic_lacks_is_drawn_from_the_italic(tmp_path):
    # Libertinus Serif Bold Italic has no U+026E; fontconfig hands Pango the italic face,
    # marked as synthetic bold: without the rules WeasyPrint wrote its glyph numbers into
    # the bold italic font (a Greek eta on the page) and embedded no italic at all
    used = fonts_used(default_layout(tmp_path), "<p><b><i>bold italic \u026e</i></b></p>")
    assert used == {"Libertinus-Serif-Bold-Italic", "Libertinus-Serif-Italic"}, used
