"""The print QA report: what a typesetter would send back, read from make-book's own pages.

After the final layout the renderer hands over what :mod:`qa_pages` measured during the
page walk, the glyph check's result and the figures' resolutions; :func:`check` turns them
into findings, each with its PDF page, printed folio and, where it can, the source
file:line (:mod:`qa_sources`). The report is written beside the PDF as
``<slug>-print-qa.json`` (schema: docs/print-qa.md) and summarised on the terminal.

Kinds in :data:`BLOCKING` block print: each becomes a ``Q0xx`` warning, so ``--strict``
fails the build on it as on any warning (the first few per kind are listed, then a
count). The other kinds are advice: in the report and the summary only (a low-resolution
figure is also ``P002``/``P003`` already).

Codes: Q001 line broken in mid-paragraph; Q002 orphan; Q003 widow; Q004 hyphen ladder;
Q005 hyphen at the foot of a recto; Q006 short page; Q007 loose line; Q008 overfull line;
Q009 caption separated from its figure or table; Q010 missing glyph; Q011 low-resolution
figure; Q012 more findings of a blocking kind than are listed; Q013 a page short because
the figure or table after it did not fit (Q006 for other causes, which is advice); Q014 a
running head on more than one line; Q015 a running head the renderer cut to fit; Q016 more
pages than KDP binds in one paperback on the book's paper.

The report's data (kinds, codes, thresholds, :class:`Finding`, :class:`Report`) lives in
:mod:`qa_model`; this module finds the findings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from make_book.errors import Diagnostics
from make_book.render.cover.spine import bound_pages
from make_book.render.glyphs import Missing
from make_book.transforms.folios import folio
from make_book.render.print.pages import PageFacts, line_text
from make_book.render.print.qa_model import (
    BLOCKING,
    BROKEN_SHARE,
    KINDS,
    LISTED,
    MORE_CODE,
    NATURAL_SPACE,
    OVERFULL_PX,
    PX_PER_PT,
    SHORT_LINES,
    Context,
    Finding,
    ImageCheck,
)
from make_book.render.print.qa_pages import LineFact, PageText
from make_book.render.weasy.hyphens import space_share
from make_book.render.print.qa_sources import source_line


def check(text: PageText, facts: PageFacts, ctx: Context, *,
          missing: Mapping[str, Missing] | None = None,
          images: Sequence[ImageCheck] = ()) -> list[Finding]:
    """Every finding, pages in order, kinds in :data:`KINDS` order within a page."""
    out = _Findings(ctx)
    lines = text.lines
    last_on_page = {line.page: i for i, line in enumerate(lines)}
    for para in _paragraphs(lines):
        _paragraph(para, out, ctx, last_on_page, lines)
    _short_pages(text, facts, out, ctx)
    _captions(text, out, ctx)
    _heads(text, out, ctx)
    for image in images:
        out.add("low-resolution", f"figure {image.src} prints at {image.dpi:.0f} dpi, "
                f"under 300", image.page, path=image.source)
    for miss in (missing or {}).values():
        times = "once" if miss.count == 1 else f"{miss.count} times"
        out.add("missing-glyph", f"U+{ord(miss.char):04X} is in no font of the layout's "
                f"{miss.role} chain (used {times})", None, path=miss.first)
    _page_count(out, ctx)
    order = list(KINDS)
    return sorted(out.found, key=lambda f: (f.page is None, f.page or 0, order.index(f.kind)))


def _page_count(out: _Findings, ctx: Context) -> None:
    """Advice, not a block: a house printing offset or with IngramSpark binds thicker
    books, but KDP refuses this interior, and splitting a book into volumes is decided
    before the print files go out, not after."""
    paper = ctx.paper
    if paper is None or paper.max_pages is None or bound_pages(ctx.pages) <= paper.max_pages:
        return
    out.add("page-count", f"the interior has {ctx.pages} pages; KDP binds at most "
            f"{paper.max_pages} in one paperback on {paper.name} paper (print.paper)", None,
            path=ctx.root / "book.yaml", quote="paper:")


def report_diagnostics(findings: list[Finding], diagnostics: Diagnostics,
                       report_name: str) -> None:
    """The blocking findings as ``Q0xx`` warnings: the first :data:`LISTED` per kind,
    then how many more the report lists."""
    for kind in KINDS:
        if kind not in BLOCKING:
            continue
        found = [f for f in findings if f.kind == kind]
        for f in found[:LISTED]:
            diagnostics.warning(f.code, f"{KINDS[kind][1]} on {f.where()}: {f.message}",
                                _path(f), f.line)
        if len(found) > LISTED:
            diagnostics.warning(MORE_CODE, f"{len(found) - LISTED} more of "
                                f"{KINDS[kind][0]} ({KINDS[kind][2]}) in {report_name}")


def _path(f: Finding) -> Path | None:
    return Path(f.file) if f.file else None


class _Findings:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.found: list[Finding] = []
        self.root = ctx.root.resolve()
        self.names: dict[Path, str] = {}  # a source's path as reported (resolved once)

    def add(self, kind: str, message: str, page: int | None, *, path: Path | None = None,
            file_id: str | None = None, quote: str | None = None,
            near: LineFact | None = None) -> None:
        """A finding; its source line is where ``quote`` starts, else where the line
        ``near`` (its paragraph's first) does."""
        if path is None and file_id is not None:
            path = self.ctx.sources.get(file_id)
        line = source_line(path, quote) if quote else None
        if line is None and near is not None:
            line = source_line(path, line_text(near.box))
        rel = None if path is None else self.names.get(path)
        if path is not None and rel is None:
            try:
                rel = path.resolve().relative_to(self.root).as_posix()
            except ValueError:
                rel = str(path)
            self.names[path] = rel
        self.found.append(Finding(
            kind, message, None if page is None else page + 1,
            None if page is None else folio(page, self.ctx.body_start), rel, line, quote))

    def line(self, kind: str, message: str, line: LineFact,
             para: list[LineFact] | None = None) -> None:
        self.add(kind, message, line.page, file_id=line.mark.rsplit(":", 1)[0],
                 quote=line_text(line.box).strip(), near=para[0] if para else None)


def _heads(text: PageText, out: _Findings, ctx: Context) -> None:
    """Running heads (any margin box) set on more than one line, and chapter heads the
    renderer cut to fit, at the first page that prints the cut head."""
    chapter_on: dict[int, str] = {}
    for line in text.lines:
        chapter_on.setdefault(line.page, line.mark.rsplit(":", 1)[0])
    for head in text.heads:
        out.add("running-head", f"the {head.box} margin box runs to {len(head.lines)} "
                f"lines: \u201c{head.text}\u201d (give the chapter a short-title: in its "
                "front matter)", head.page, file_id=chapter_on.get(head.page))
    for file_id, (full, short) in ctx.shortened_heads.items():
        pages = sorted(p for p, f in chapter_on.items() if f == file_id)
        page = next((p for p in pages[1:] if text.sides.get(p) == "right"),
                    pages[0] if pages else None)
        if page is None:
            continue
        out.add("shortened-head", f"running head \u201c{full}\u201d is too long for one "
                f"line: printed as \u201c{short}\u201d (a short-title: in the chapter's "
                "front matter chooses the words)", page, file_id=file_id)


def _paragraphs(lines: list[LineFact]) -> list[list[LineFact]]:
    """The lines of each paragraph in order: lines of one element, on one block box per
    page (a block inside an element ends the run of lines before it)."""
    out: list[list[LineFact]] = []
    for line in lines:
        if out:
            prev = out[-1][-1]
            if prev.para == line.para and (prev.holder == line.holder
                                           or prev.page != line.page):
                out[-1].append(line)
                continue
        out.append([line])
    return out


def _paragraph(para: list[LineFact], out: _Findings, ctx: Context,
               last_on_page: dict[int, int], lines: list[LineFact]) -> None:
    ladder: list[LineFact] = []
    for i, line in enumerate(para):
        last = i == len(para) - 1
        if line.width > line.measure + OVERFULL_PX:
            out.line("overfull-line", f"{(line.width - line.measure) / PX_PER_PT:.1f} pt "
                     "wider than the measure", line, para)
        if line.justified and not last and not line.forced:
            if (line.measure - line.width > BROKEN_SHARE * line.measure
                    and not _could_not_share(line, para[i + 1])):
                out.line("broken-line", f"ends {100 * line.width / line.measure:.0f}% of "
                         "the way across while the paragraph runs on", line, para)
            spacing = 100 * space_share(line.spacing, line.font_size, ctx.natural_space)
            if line.spacing and spacing > ctx.max_word_spacing:
                out.line("loose-line", f"word spaces at {spacing:.0f}% (the layout allows "
                         f"{ctx.max_word_spacing:g}%)", line, para)
        if line.hyphen and not last:
            ladder.append(line)
            if (line.page % 2 == 0 and lines[last_on_page[line.page]] is line
                    and para[i + 1].page != line.page):
                out.line("recto-foot-hyphen", "the last line of a right-hand page ends "
                         "with a hyphen", line, para)
        else:
            _ladder(ladder, out, ctx)
            ladder = []
    _ladder(ladder, out, ctx)
    pages = [line.page for line in para]
    if pages[0] != pages[-1]:
        if pages.count(pages[0]) == 1:
            out.line("orphan", "the paragraph's first line is alone at the foot of the page",
                     para[0], para)
        if pages.count(pages[-1]) == 1:
            out.line("widow", "the paragraph's last line is alone at the top of the page",
                     para[-1], para)


def _could_not_share(line: LineFact, after: LineFact) -> bool:
    """Whether a short line is a lone word the next line's first word could not join (a
    long word alone on its line is short, not broken). A line with spaces to stretch is
    never excused: only a paragraph's last line is set short."""
    text = line_text(line.box).strip()
    if " " in text:
        return False
    following = line_text(after.box).strip()
    first = following.split(" ", 1)[0]
    # the next word's width, from its share of the next line's characters
    width = after.width * len(first) / max(len(following), 1)
    return line.width + 0.25 * line.font_size + width > line.measure


def _ladder(ladder: list[LineFact], out: _Findings, ctx: Context) -> None:
    if ctx.hyphen_limit is not None and len(ladder) > ctx.hyphen_limit:
        out.line("hyphen-ladder", f"{len(ladder)} hyphenated lines in a row (the layout "
                 f"allows {ctx.hyphen_limit})", ladder[0], ladder)


def _short_pages(text: PageText, facts: PageFacts, out: _Findings, ctx: Context) -> None:
    """Pages whose text stops more than :data:`SHORT_LINES` lines above the text area's
    foot while their chapter runs on to the next page (a chapter's last page, a page
    before a part, a blank may be short)."""
    last_page: dict[str, int] = {}
    starting: dict[int, str] = {}  # page -> mark of the first block that begins there
    for span in facts.blocks:
        last_page[span.file_id] = max(last_page.get(span.file_id, -1), span.last)
        starting.setdefault(span.first, span.mark)
    chapter_at: dict[int, LineFact] = {}
    for line in text.lines:
        chapter_at[line.page] = line
    for page, bottom in sorted(text.text_bottom.items()):
        line = chapter_at.get(page)
        if line is None:
            continue
        file_id = line.mark.rsplit(":", 1)[0]
        if last_page.get(file_id, page) <= page:
            continue
        room = text.area_bottom[page] - bottom - text.trailing.get(page, 0)
        short = int(room / ctx.leading + 0.1)
        if short <= SHORT_LINES:
            continue
        why = _why_short(text, page, starting.get(page + 1))
        kind = ("float-short-page" if why and why.startswith(("a figure", "a table"))
                else "short-page")
        out.add(kind, f"the text stops {short} lines short of the foot"
                + (f" ({why})" if why else ""), page, file_id=file_id,
                quote=line_text(line.box).strip())


def _why_short(text: PageText, page: int, next_mark: str | None) -> str | None:
    kind = text.block_kinds.get(next_mark) if next_mark else None
    if kind == "figure":
        return "a figure that did not fit follows"
    if kind == "table":
        return "a table that did not fit follows"
    if kind == "heading":
        return "a heading kept with its text follows"
    if kind == "note-break":
        return "the next paragraph was moved to keep a footnote with its call"
    if page in text.has_notes:
        return "footnotes"
    return None


def _captions(text: PageText, out: _Findings, ctx: Context) -> None:
    for mark, captions, content in text.captioned.values():
        for page in sorted(captions - content):
            if content:
                apart = min(content, key=lambda p: abs(p - page))
                out.add("separated-caption", f"the caption is on this page, its "
                        f"{text.block_kinds.get(mark, 'figure')} on PDF page {apart + 1}",
                        page, file_id=mark.rsplit(":", 1)[0])


def text_space(layout) -> float:
    """The word space (em) of the layout's text face (its first upright one), against
    which a justified line is loose: the QA's measure and the hyphenation's."""
    face = next((f for f in layout.fonts if f.style == "normal"), None)
    return natural_space(face.path) if face is not None else NATURAL_SPACE


@lru_cache(maxsize=8)
def natural_space(font: Path) -> float:
    """The font's word space in em (its space glyph's advance)."""
    try:
        with TTFont(font, lazy=True) as face:
            glyph = face.getBestCmap().get(0x20)
            return face["hmtx"][glyph][0] / face["head"].unitsPerEm
    except (OSError, KeyError, TypeError, TTLibError):  # unreadable: the usual space
        return NATURAL_SPACE
