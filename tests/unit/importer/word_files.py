"""Word files made by the tests (python-docx), one feature at a time, and the import and
build of them. python-docx has no API for notes or run languages: those are added to the
package's XML as Word writes them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

NOTE_TYPES = {"footnote": (RT.FOOTNOTES, "footnotes"), "endnote": (RT.ENDNOTES, "endnotes")}


class WordFile:
    """A python-docx Document with notes and languages, saved where the test wants it."""

    def __init__(self, lang: str | None = "en-GB"):
        self.doc = docx.Document()
        self.notes: dict[str, list[str]] = {"footnote": [], "endnote": []}
        if lang:
            self.doc.core_properties.language = lang

    def para(self, *runs, style: str | None = None):
        """A paragraph of runs: a string, or (text, {"italic": True, "lang": "de-DE",
        "small_caps": True, "bold": True, "footnote": "text", "endnote": "text"})."""
        p = self.doc.add_paragraph(style=style)
        for run in runs:
            text, props = (run, {}) if isinstance(run, str) else run
            r = p.add_run(text)
            r.italic = props.get("italic")
            r.bold = props.get("bold")
            if props.get("small_caps"):
                r.font.small_caps = True
            if props.get("lang"):
                r._r.get_or_add_rPr().append(parse_xml(
                    f'<w:lang {nsdecls("w")} w:val="{props["lang"]}"/>'))
            for kind in ("footnote", "endnote"):
                if kind in props:
                    self.notes[kind].append(props[kind])
                    ref = p.add_run()
                    ref._r.get_or_add_rPr().append(parse_xml(
                        f'<w:vertAlign {nsdecls("w")} w:val="superscript"/>'))
                    ref._r.append(parse_xml(f'<w:{kind}Reference {nsdecls("w")} '
                                            f'w:id="{len(self.notes[kind])}"/>'))
        return p

    def _list_numbering(self, ordered: bool) -> int:
        """A numbering of three levels (python-docx's template has one-level ones only)."""
        numbering = self.doc.part.numbering_part.element
        num_id = 900 + ordered
        if not numbering.xpath(f'./w:num[@w:numId="{num_id}"]'):
            fmt, text = ("decimal", "%{n}.") if ordered else ("bullet", "\u2022")
            levels = "".join(
                f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text.format(n=n + 1)}"/></w:lvl>' for n in range(3))
            numbering.insert(0, parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">{levels}'
                '</w:abstractNum>'))
            numbering.append(parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId '
                f'w:val="{num_id}"/></w:num>'))
        return num_id

    def list_item(self, text: str, level: int = 0, ordered: bool = False):
        p = self.doc.add_paragraph(text, style="List Paragraph")
        num_id = self._list_numbering(ordered)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
            '</w:numPr>'))
        return p

    def _note_parts(self) -> None:
        for kind, texts in self.notes.items():
            if not texts:
                continue
            rel, part_name = NOTE_TYPES[kind]
            body = "".join(
                f'<w:{kind} w:id="{n}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
                f'</w:rPr><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t>'
                f'</w:r></w:p></w:{kind}>' for n, text in enumerate(texts, start=1))
            xml = (f'<w:{part_name} {nsdecls("w")}><w:{kind} w:type="separator" w:id="-1">'
                   f'<w:p><w:r><w:separator/></w:r></w:p></w:{kind}>{body}</w:{part_name}>')
            part = Part(PackURI(f"/word/{part_name}.xml"),
                        f"application/vnd.openxmlformats-officedocument.wordprocessingml."
                        f"{part_name}+xml", xml.encode(), self.doc.part.package)
            self.doc.part.relate_to(part, rel)

    def save(self, path: Path) -> Path:
        self._note_parts()
        self.doc.save(str(path))
        return path


def png_bytes(color=(200, 30, 30)) -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (120, 80), color).save(out, "PNG")
    return out.getvalue()

