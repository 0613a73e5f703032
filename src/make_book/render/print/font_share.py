"""One font per face in a PDF joined from pieces (issue 15): what a book written as one
WeasyPrint document has, and a join of pieces written one by one does not.

Each piece embeds its own subset of every face it uses, under the same name (WeasyPrint
names a font by a hash of its description, the same in every process). WeasyPrint subsets
keeping glyph IDs (HarfBuzz's ``RETAIN_GIDS``, ``weasyprint/pdf/fonts.py``) and writes its
text with CID = glyph ID (``/Identity-H``, ``/CIDToGIDMap /Identity``), so the pieces'
subsets of one face differ only in which glyphs have outlines: their union, one font
program holding every glyph any piece drew, serves every piece's text unchanged. One font
dictionary per face replaces the pieces' ones, its widths (``/W``) and text map
(``ToUnicode``) the union of theirs.

Merging is done on the subsets themselves (fontTools): the join needs no original font
file, and a cached piece brings all it needs. A face this cannot merge (a custom
``/Encoding`` for glyphs missing from the font, a CID-keyed CFF, subsets whose CFF private
dictionaries differ) keeps one subset per piece, as before: bytes, not correctness.
"""

from __future__ import annotations

import io
import re
import zlib
from math import ceil

import pikepdf
from fontTools.misc.psCharStrings import T2CharString
from fontTools.ttLib import TTFont, TTLibError
from pikepdf import Array, Dictionary, Name

from make_book.cache import Cache, code_version, content_key, versions

_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_CMAP_HEAD = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
              b"/CIDSystemInfo\n<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n"
              b">> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
              b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange")
_CMAP_TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
FIXED_PITCH = 1
ENDCHAR = 14  # the Type 2 charstring operator


# --------------------------------------------------------------------- font programs

def _empty_glyf(font: TTFont, name: str) -> bool:
    return font["glyf"][name].numberOfContours == 0


def _numbers_then_endchar(data: bytes) -> bool:
    """Whether Type 2 ``data`` is operands (a width) and ``endchar`` only: read without
    decompiling, so that the charstring keeps its bytes and is written as it came."""
    if not data or data[-1] != ENDCHAR:
        return False
    i, end = 0, len(data) - 1
    while i < end:
        b = data[i]
        if 32 <= b <= 246:
            i += 1
        elif 247 <= b <= 254:
            i += 2
        elif b == 28:
            i += 3
        elif b == 255:
            i += 5
        else:
            return False  # an operator before endchar (the decompiler judges it)
    return i == end


def _empty_cff(charstring) -> bool:
    data = getattr(charstring, "bytecode", None)
    if data is not None and len(data) > 6:  # more than a width and endchar: drawn
        return False
    if data is not None and _numbers_then_endchar(data):
        return True  # a space: decoding would only make save() encode it again
    charstring.decompile()
    return all(not isinstance(op, str) or op == "endchar" for op in charstring.program)


def _cff_drawn(strings, names: list[str]) -> list[int]:
    """The glyph IDs whose charstrings draw something, as :func:`_empty_cff` judges them.
    A subset that kept its glyph IDs holds mostly empty glyphs: their sizes are read off
    the CharStrings INDEX's offsets and their bytes off its data, where fontTools keeps
    them, instead of making a charstring object of each (most of a 467-page book's merge
    of 35 subsets); a glyph of more than six bytes draws, a shorter one that is more than
    a width and ``endchar`` is decoded."""
    index = getattr(strings, "charStringsIndex", None)
    offsets = getattr(index, "offsets", None)
    positions = getattr(strings, "charStrings", None)
    if (not getattr(strings, "charStringsAreIndexed", False) or not offsets
            or not isinstance(positions, dict)):
        return [gid for gid, name in enumerate(names) if not _empty_cff(strings[name])]
    index.file.seek(index.offsetBase + offsets[0])
    data = index.file.read(offsets[-1] - offsets[0])
    start = offsets[0]
    drawn = []
    for gid, name in enumerate(names):
        at = positions[name]
        size = offsets[at + 1] - offsets[at]
        if size > 6:
            drawn.append(gid)
        elif not _numbers_then_endchar(data[offsets[at] - start:offsets[at + 1] - start]):
            if not _empty_cff(strings[name]):
                drawn.append(gid)
    return drawn


def _private(font: TTFont):
    top = font["CFF "].cff.topDictIndex[0]
    if hasattr(top, "FDArray") or hasattr(top, "ROS"):
        return None  # CID-keyed: glyphs name their own private dictionaries
    private = top.Private
    return (getattr(private, "nominalWidthX", 0), getattr(private, "defaultWidthX", 0))


def merged_program(programs: list[bytes]) -> bytes | None:
    """One font program from subsets of one font that kept their glyph IDs: the subset
    with the most glyphs, given the outlines and advances the others have and it lacks.
    None when they cannot be merged."""
    if len(set(programs)) == 1:
        return programs[0]
    try:
        fonts = [TTFont(io.BytesIO(p), recalcTimestamp=False) for p in programs]
        base = max(fonts, key=lambda f: len(f.getGlyphOrder()))  # the first of the largest
        cff = "CFF " in base
        if not cff and "glyf" not in base:
            return None
        if cff and (_private(base) is None
                    or any("CFF " not in f or _private(f) != _private(base) for f in fonts)):
            return None  # a charstring's width is relative to its private dictionary
        order = base.getGlyphOrder()
        if cff:
            drawn = set(_cff_drawn(base["CFF "].cff.topDictIndex[0].CharStrings, order))
        else:
            drawn = {gid for gid, name in enumerate(order) if not _empty_glyf(base, name)}
        for other in fonts:
            if other is base:
                continue
            names = other.getGlyphOrder()
            if cff:
                _merge_cff(base, other, order, names, drawn)
            elif "glyf" in other:
                _merge_glyf(base, other, order, names, drawn)
            else:
                return None
        out = io.BytesIO()
        base.save(out)
        return out.getvalue()
    except (TTLibError, KeyError, AssertionError, ValueError, TypeError, IndexError):
        return None


def _merge_metrics(base: TTFont, other: TTFont, name: str, other_name: str) -> None:
    base["hmtx"].metrics[name] = other["hmtx"].metrics[other_name]


def _merge_glyf(base: TTFont, other: TTFont, order: list, names: list, drawn: set) -> None:
    rename = dict(zip(names, order))  # components are named: a glyph's name in base
    for gid, other_name in enumerate(names):
        if gid in drawn or _empty_glyf(other, other_name):
            continue
        name = order[gid]
        drawn.add(gid)
        glyph = other["glyf"][other_name]
        if glyph.isComposite():
            for component in glyph.components:
                component.glyphName = rename[component.glyphName]
        base["glyf"][name] = glyph
        _merge_metrics(base, other, name, other_name)


def _merge_cff(base: TTFont, other: TTFont, order: list, names: list, drawn: set) -> None:
    base_cff, other_cff = base["CFF "].cff, other["CFF "].cff
    top = base_cff.topDictIndex[0]
    strings, other_strings = top.CharStrings, other_cff.topDictIndex[0].CharStrings
    for gid in _cff_drawn(other_strings, names):
        if gid in drawn:
            continue
        other_name, name = names[gid], order[gid]
        drawn.add(gid)
        charstring = other_strings[other_name]
        charstring.decompile()
        strings[name] = T2CharString(program=list(charstring.program),
                                     private=top.Private, globalSubrs=base_cff.GlobalSubrs)
        _merge_metrics(base, other, name, other_name)


# ------------------------------------------------------------------ font dictionaries

def _descendant(font):
    try:
        return font.DescendantFonts[0]
    except (AttributeError, IndexError, KeyError, TypeError):
        return None


def _program(font) -> tuple[str, pikepdf.Stream] | None:
    descriptor = _descendant(font).get("/FontDescriptor")
    for key in ("/FontFile2", "/FontFile3"):
        if descriptor is not None and key in descriptor:
            return key, descriptor[key]
    return None


def shareable(font) -> bool:
    """A WeasyPrint vector font with glyph IDs for CIDs: what :func:`merged_program`
    merges."""
    if not isinstance(font, Dictionary) or font.get("/Subtype") != Name.Type0:
        return False
    if font.get("/Encoding") != Name("/Identity-H") or "/BaseFont" not in font:
        return False
    cid_font = _descendant(font)
    if cid_font is None or cid_font.get("/CIDToGIDMap") != Name.Identity:
        return False
    descriptor = cid_font.get("/FontDescriptor")
    return (descriptor is not None and "/CIDSet" not in descriptor
            and _program(font) is not None and "/ToUnicode" in font)


def _widths(array) -> dict[int, float]:
    """``/W`` as WeasyPrint writes it: ``first [w w ...]`` runs."""
    out: dict[int, float] = {}
    items = list(array)
    for first, run in zip(items[::2], items[1::2]):
        for offset, width in enumerate(run):
            out.setdefault(int(first) + offset, float(width))
    return out


def _width_array(widths: dict[int, float]) -> Array:
    out, run = Array(), None
    for cid in sorted(widths):
        if cid - 1 not in widths:
            run = Array()
            out.append(cid)
            out.append(run)
        width = widths[cid]
        run.append(int(width) if width == int(width) else width)
    return out


def _text_map(stream) -> dict[int, bytes]:
    out: dict[int, bytes] = {}
    for block in _BFCHAR.findall(stream.read_bytes()):
        for cid, text in _PAIR.findall(block):
            out.setdefault(int(cid, 16), text.lower())
    return out


def _text_map_stream(pdf: pikepdf.Pdf, texts: dict[int, bytes]) -> pikepdf.Stream:
    """The text map as WeasyPrint writes one (100 glyphs a block)."""
    lines = [_CMAP_HEAD]
    items = sorted(texts.items())
    for i in range(ceil(len(items) / 100)):
        batch = items[i * 100:(i + 1) * 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{cid:04x}> <".encode() + text + b">" for cid, text in batch]
        lines.append(b"endbfchar")
    lines.append(_CMAP_TAIL)
    return _stream(pdf, b"\n".join(lines))


def _stream(pdf: pikepdf.Pdf, data: bytes, **extra) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, zlib.compress(data))
    stream.Filter = Name.FlateDecode
    for key, value in extra.items():
        stream[f"/{key}"] = value
    return stream


def _copy(pdf: pikepdf.Pdf, dictionary, **changes):
    out = Dictionary({key: value for key, value in dictionary.items()})
    for key, value in changes.items():
        out[f"/{key}"] = value
    return pdf.make_indirect(out)


MERGED = "print-merged-fonts"  # the build cache's namespace for merged programs
CANNOT = b"-"  # kept for subsets that cannot be merged (a merged program is never this)


def kept_merge(cache: Cache | None):
    """:func:`merged_program` through the build cache: a rebuild that changed no piece's
    subsets of a face (an edit rarely brings a chapter new glyphs) reads the face's merged
    program back instead of merging again (a fifth of a warm rebuild of 467 pages)."""
    if cache is None:
        return merged_program

    def merge(programs: list[bytes]) -> bytes | None:
        key = content_key(code_version(), versions("fonttools"), *programs)
        kept = cache.get(MERGED, key)
        if kept is not None:
            return None if kept == CANNOT else kept
        program = merged_program(programs)
        cache.put(MERGED, key, CANNOT if program is None else program)
        return program
    return merge


def merged_font(pdf: pikepdf.Pdf, fonts: list, merge=merged_program):
    """One font dictionary for ``fonts`` (one face, from several pieces), or None;
    ``merge`` merges their programs (:func:`merged_program` or :func:`kept_merge`'s)."""
    kind, _ = _program(fonts[0])
    programs = []
    for font in fonts:
        found = _program(font)
        if found is None or found[0] != kind:
            return None
        programs.append(found[1].read_bytes())
    program = merge(programs)
    if program is None:
        return None
    widths: dict[int, float] = {}
    texts: dict[int, bytes] = {}
    for font in fonts:
        for cid, width in _widths(_descendant(font).get("/W", Array())).items():
            widths.setdefault(cid, width)
        for cid, text in _text_map(font.ToUnicode).items():
            texts.setdefault(cid, text)
    first = fonts[0]
    cid_font = _descendant(first)
    descriptor = cid_font.FontDescriptor
    extra = ({"Subtype": Name.OpenType} if kind == "/FontFile3"
             else {"Length1": len(program)})
    flags = int(descriptor.Flags) & ~FIXED_PITCH
    if len(widths) > 1 and len(set(widths.values())) == 1:
        flags |= FIXED_PITCH
    bbox = list(descriptor.FontBBox)
    bbox[2] = max(widths.values(), default=0)
    bbox = [int(v) if float(v) == int(v) else float(v) for v in bbox]
    new_descriptor = _copy(pdf, descriptor, Flags=flags, FontBBox=Array(bbox),
                           **{kind[1:]: pdf.make_indirect(_stream(pdf, program, **extra))})
    new_cid = _copy(pdf, cid_font, W=_width_array(widths), FontDescriptor=new_descriptor)
    return _copy(pdf, first, DescendantFonts=Array([new_cid]),
                 ToUnicode=pdf.make_indirect(_text_map_stream(pdf, texts)))


# ----------------------------------------------------------------------- the document

def _resources(pdf: pikepdf.Pdf):
    """Every resource dictionary the pages use (their own, their forms' and patterns')."""
    seen: set = set()

    def walk(resources):
        if not isinstance(resources, Dictionary):
            return
        if resources.is_indirect:
            if resources.objgen in seen:
                return
            seen.add(resources.objgen)
        yield resources
        for group in ("/XObject", "/Pattern"):
            for item in resources.get(group, Dictionary()).values():
                if item.is_indirect and item.objgen in seen:
                    continue
                if item.is_indirect:
                    seen.add(item.objgen)
                yield from walk(item.get("/Resources"))

    for page in pdf.pages:
        yield from walk(page.obj.get("/Resources"))


def share_fonts(pdf: pikepdf.Pdf, merge=merged_program) -> None:
    """Give each face one font dictionary and one font program in ``pdf`` (joined from
    pieces), where its pieces' subsets can be merged (by ``merge``)."""
    faces: dict[str, list] = {}
    seen: set = set()
    resources = list(_resources(pdf))
    for res in resources:
        for font in res.get("/Font", Dictionary()).values():
            if font.is_indirect and font.objgen not in seen and shareable(font):
                seen.add(font.objgen)
                faces.setdefault(str(font.BaseFont), []).append(font)
    shared = {}
    for fonts in faces.values():
        if len(fonts) < 2:
            continue
        merged = merged_font(pdf, fonts, merge)
        if merged is not None:
            shared.update((font.objgen, merged) for font in fonts)
    if not shared:
        return
    for res in resources:
        table = res.get("/Font")
        if table is None:
            continue
        for key in list(table.keys()):
            font = table[key]
            if font.is_indirect and font.objgen in shared:
                table[key] = shared[font.objgen]


__all__ = ["kept_merge", "merged_font", "merged_program", "shareable", "share_fonts"]
