"""Merging the pieces' subsets of a face (pdf_font_share): one program holding the glyphs
every piece drew, one font dictionary per face, text and widths kept."""

import io
from pathlib import Path

import pikepdf
from fontTools.misc.psCharStrings import T2CharString
from fontTools.ttLib import TTFont
from weasyprint import HTML

from make_book.render.print import font_share as pdf_font_share
from make_book.render.print import join as pdf_join

FONTS = Path(__file__).resolve().parents[3] / "layouts" / "default" / "fonts"
STYLE = f"""<style>
@font-face {{ font-family: Serif; src: url("{(FONTS / 'LibertinusSerif-Regular.otf').as_uri()}") }}
@font-face {{ font-family: Gentium; src: url("{(FONTS / 'GentiumPlus-Regular.ttf').as_uri()}") }}
p {{ font-family: Serif }} .g {{ font-family: Gentium }}
</style>"""


def _piece(text: str) -> pdf_join.PiecePdf:
    document = HTML(string=f"<html>{STYLE}<body><p>{text}</p><p class=g>{text}</p>"
                    "</body></html>").render()
    return pdf_join.piece_pdf(document, document.pages)


def _fonts(pdf):
    return {str(f.BaseFont): f for page in pdf.pages
            for f in page.obj.Resources.Font.values()}


def _outlined(font, char: str) -> bool:
    program = TTFont(io.BytesIO(pdf_font_share._program(font)[1].read_bytes()))
    name = program.getGlyphOrder()[ord_gid(font, char)]
    if "CFF " in program:
        return not pdf_font_share._empty_cff(
            program["CFF "].cff.topDictIndex[0].CharStrings[name])
    return not pdf_font_share._empty_glyf(program, name)


def ord_gid(font, char: str) -> int:
    texts = pdf_font_share._text_map(font.ToUnicode)
    return next(cid for cid, text in texts.items()
                if text == char.encode("utf-16-be").hex().encode())


def test_pieces_share_one_program_and_dictionary_per_face():
    pieces = [_piece("Abc"), _piece("Xyz")]
    apart = []
    for piece in pieces:
        with pikepdf.open(io.BytesIO(piece.data)) as pdf:
            apart.append({name: pdf_font_share._widths(f.DescendantFonts[0].W)
                          for name, f in _fonts(pdf).items()})
    with pikepdf.open(io.BytesIO(pdf_join.join(pieces))) as pdf:
        fonts = [f for page in pdf.pages for f in page.obj.Resources.Font.values()]
        faces = {str(f.BaseFont) for f in fonts}
        assert len(faces) == 2  # Libertinus (CFF) and Gentium (TrueType)
        assert len({f.objgen for f in fonts}) == 2
        for name, font in _fonts(pdf).items():
            assert pdf_font_share.shareable(font)
            # the glyphs of both pieces are drawn by the one program
            assert all(_outlined(font, c) for c in "AbcXyz")
            widths = pdf_font_share._widths(font.DescendantFonts[0].W)
            assert widths == {**apart[1][name], **apart[0][name]}
            assert max(widths.values()) == font.DescendantFonts[0].FontDescriptor.FontBBox[2]


def test_same_subsets_or_unmergeable_programs():
    program = (FONTS / "GentiumPlus-Regular.ttf").read_bytes()
    assert pdf_font_share.merged_program([program, program]) is program
    # a TrueType subset and a CFF one are not one face: not merged
    other = (FONTS / "LibertinusSerif-Regular.otf").read_bytes()
    assert pdf_font_share.merged_program([program, other]) is None
    assert pdf_font_share.merged_program([b"not a font", program]) is None


def test_a_space_is_told_empty_from_its_bytes_and_kept_as_they_are():
    for data in (b"\x0e", b"\x8b\x0e", b"\xf7\x00\x0e", b"\x1c\x01\x00\x0e",
                 b"\xff\x00\x01\x00\x00\x0e"):
        charstring = T2CharString(bytecode=data)
        assert pdf_font_share._empty_cff(charstring)
        assert charstring.bytecode == data  # not decoded: save() writes these bytes
    # an operator before endchar: left to the decompiler, which sees the drawing
    assert not pdf_font_share._numbers_then_endchar(b"\x8b\x8b\x15\x0e")
    assert not pdf_font_share._numbers_then_endchar(b"\x8b")
    assert not pdf_font_share._numbers_then_endchar(b"")


def test_a_rebuild_reads_merged_programs_back_from_the_cache(tmp_path, monkeypatch):
    """The same subsets give the same joined PDF bytes whether their merged programs come
    from the build cache or are merged again; what cannot be merged is remembered too."""
    from make_book.cache import Cache

    pieces = [_piece("Abc"), _piece("Xyz")]
    cache = Cache(tmp_path / "cache")
    fresh = pdf_join.join(pieces)
    assert pdf_join.join(pieces, pdf_font_share.kept_merge(cache)) == fresh
    assert cache.misses == 2 and cache.hits == 0  # one program per face, merged and kept
    merged = []
    monkeypatch.setattr(pdf_font_share, "merged_program",
                        lambda programs: merged.append(programs))
    assert pdf_join.join(pieces, pdf_font_share.kept_merge(cache)) == fresh
    assert cache.hits == 2 and not merged  # read back, not merged again
    program = _program_bytes(pieces[0])
    merge = pdf_font_share.kept_merge(cache)
    assert merge([program, b"not a font"]) is None and merged  # merged (failing) once
    merged.clear()
    assert merge([program, b"not a font"]) is None and not merged  # then remembered
    assert pdf_font_share.kept_merge(None) is pdf_font_share.merged_program


def _program_bytes(piece) -> bytes:
    with pikepdf.open(io.BytesIO(piece.data)) as pdf:
        font = next(iter(_fonts(pdf).values()))
        return pdf_font_share._program(font)[1].read_bytes()


def test_drawn_glyphs_read_off_the_index_are_those_the_charstrings_draw():
    """_cff_drawn reads most glyphs' sizes and bytes off the CharStrings INDEX: the same
    glyphs as judging every charstring, on a subset that kept its glyph IDs and on the
    whole font, and the same when fontTools keeps no index (a font built in memory)."""
    piece = _piece("Quod erat 1848")
    with pikepdf.open(io.BytesIO(piece.data)) as pdf:
        font = next(f for f in _fonts(pdf).values()
                    if pdf_font_share._program(f)[0] == "/FontFile3")  # Libertinus, CFF
        subset = pdf_font_share._program(font)[1].read_bytes()
    for data in (subset, (FONTS / "LibertinusSerif-Regular.otf").read_bytes()):
        program = TTFont(io.BytesIO(data))
        strings = program["CFF "].cff.topDictIndex[0].CharStrings
        names = program.getGlyphOrder()
        assert strings.charStringsAreIndexed
        drawn = pdf_font_share._cff_drawn(strings, names)
        judged = TTFont(io.BytesIO(data))
        every = judged["CFF "].cff.topDictIndex[0].CharStrings
        assert drawn == [gid for gid, name in enumerate(names)
                         if not pdf_font_share._empty_cff(every[name])]
        assert 0 < len(drawn) < len(names)
        # charstrings fontTools holds as objects (a font built in memory): judged each
        kept = {name: every[name] for name in names}
        assert pdf_font_share._cff_drawn(kept, names) == drawn
