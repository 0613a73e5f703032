"""A small book built by hand for the print renderer's tests (no loader, no transforms).

Imported by the print tests as ``tests.unit.render.test_pdf_fixtures``; it holds no tests.
It has front matter (a dedication and a preface), a part with two chapters, a chapter
outside the part and an appendix in the back matter; notes (one very long), a figure drawn
with Pillow, a table long enough to break, verse, an epigraph, section breaks and spans in
German, French and Russian.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from pathlib import Path

from PIL import Image as PILImage

from make_book.config.metadata import BookMetadata
from make_book.layouts import load_layout
from make_book.model import Book, Chapter, Heading, Image, Note, Part

SOURCE_DATE = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)

WORDS = (
    "the factory whistle sounded across the frozen river before dawn and the weavers walked "
    "under the chimneys towards the gates where the overseer counted them with his lantern "
    "while the schoolteacher wrote letters to her sister about the looms the machinery the "
    "committee meetings the shortages of bread and chalk and paper the engineer who returned "
    "from Germany to repair the spinning frames he had installed before the war the strike "
    "that silenced the weaving shed for three days in the autumn of the year and the long "
    "conversations by the stove about literature revolution electrification and the future "
    "of the children who learned their letters from newspapers pasted on the classroom walls"
).split()


def sentences(seed: int, count: int) -> str:
    """Deterministic English-like prose: ``count`` sentences."""
    out = []
    cycle = itertools.cycle(WORDS)
    for _ in range(seed % 17):
        next(cycle)
    for n in range(count):
        length = 9 + (seed + n * 7) % 13
        words = [next(cycle) for _ in range(length)]
        words[0] = words[0].capitalize()
        out.append(" ".join(words) + ("," if n % 5 == 3 else "."))
    return " ".join(out).replace(",.", ".").rstrip(",") + ("" if out[-1].endswith(".") else ".")


def paragraphs(seed: int, count: int, per: int = 6) -> list[str]:
    return [f"<p>{sentences(seed + i, per)}</p>" for i in range(count)]


def make_figure(root: Path, name: str, size: tuple[int, int]) -> Image:
    path = root / "images" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    img = PILImage.new("RGB", size, (235, 230, 220))
    for x in range(0, size[0], 40):  # a few stripes, so the image is not blank
        for y in range(size[1]):
            img.putpixel((x, y), (90, 70, 50))
    img.save(path, "JPEG", quality=85)
    return Image(path, f"images/{name}", "image/jpeg", size[0], size[1])


def write_source(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def chapter(root: Path, rel: str, file_id: str, title: str, body: str, *, kind="chapter",
            number=None, label=None, notes=(), headings=(), images=(), part_id=None,
            short_title=None, lang=None, source_text=None) -> Chapter:
    source = write_source(root, rel, source_text or f"# {title}\n\n(text)\n")
    note_objs = tuple(Note(i + 1, f"{file_id}-note-{i + 1}", f"{file_id}-noteref-{i + 1}", html)
                      for i, html in enumerate(notes))
    heads = (Heading(1, file_id, title),) + tuple(Heading(2, hid, text) for hid, text in headings)
    return Chapter(source=source, rel=rel, file_id=file_id, title=title, kind=kind, lang=lang,
                   numbered=number is not None, body=body, number=number, label=label,
                   short_title=short_title, headings=heads, notes=note_objs,
                   ids=frozenset({file_id, *(h for h, _ in headings)}), images=tuple(images),
                   part_id=part_id)


def call(n: int) -> str:
    return f'<a class="mb-noteref" data-note="{n}"/>'


LONG_NOTE = " ".join(f"<p>{sentences(300 + k, 9)} Marker{k:02d}end.</p>" for k in range(14))


def meta(**overrides) -> BookMetadata:
    data = {
        "title": "The Weavers of the Volga",
        "subtitle": "Letters from a Factory Town",
        "author": ["Anna Vetrova"],
        "translator": ["Thomas Ashdown"],
        "lang": "en-GB",
        "date": "2024-05-01",
        "publisher": "Northfield Press",
        "place": "Northfield",
        "rights": "All rights reserved. No part of this book may be reproduced without "
                  "permission.",
        "description": "A schoolteacher's letters from a cotton mill town.",
        "subject": ["HISTORY / Russia"],
        "keywords": ["Volga", "textile industry"],
        "isbn": {"paperback": "978-1-7390000-1-1", "epub": "978-1-7390000-0-4"},
        "edition": "First edition",
        "printing": "1",
        "print": {"trim": "us-trade", "bleed": "0.125in", "marks": "crop", "toc-depth": 2},
        "notes": "footnotes",
    }
    data.update(overrides)
    return BookMetadata.model_validate(data)


def stress_notes(count: int = 24) -> tuple[str, list[str]]:
    """Paragraphs each calling a note of a different length (1 to about 40 lines), so that
    calls fall at every height of the page, the foot included. Each note ends with a
    marker word ``NoteNNend``."""
    body, notes = [], []
    for k in range(count):
        body.append(f"<p>{sentences(200 + k, 3 + k % 4)}{call(k + 1)} "
                    f"{sentences(230 + k, 2 + k % 3)}</p>")
        size = (1, 3, 8, 2, 14, 5, 24, 1, 40)[k % 9]
        paras = max(1, size // 8)
        text = "".join(f"<p>{sentences(260 + k + j, max(1, size // paras))}</p>"
                       for j in range(paras))
        notes.append(text[:-4] + f" Note{k + 1:02d}end.</p>")
    return "".join(body), notes


def make_book(root: Path, *, long_note: bool = True, extra_body: str = "", with_parts=True,
              many_notes: bool = False, **meta_overrides) -> Book:
    """The test book in ``root`` (a folder of its own)."""
    root.mkdir(parents=True, exist_ok=True)
    wide = make_figure(root, "mill.jpg", (1500, 900))   # 5 in at 300 dpi: scaled to the block
    small = make_figure(root, "stamp.jpg", (300, 300))  # 1 in at 300 dpi: never enlarged

    dedication = chapter(root, "chapters/00-dedication.md", "dedication", "Dedication",
                         "<p>For Vera, who kept every letter in a biscuit tin</p>",
                         kind="dedication")
    preface_body = "".join(paragraphs(1, 9)) + (
        f"<p>{sentences(40, 3)}{call(1)} {sentences(41, 4)}</p>")
    preface = chapter(root, "chapters/01-preface.md", "preface", "Translator\u2019s Preface",
                      preface_body, kind="preface",
                      notes=["<p>Names follow the Library of Congress system.</p>"])

    table_rows = "".join(
        f"<tr><td>{1920 + i}</td><td>{sentences(i, 1)[:40]}</td><td>{1000 + 37 * i}</td></tr>"
        for i in range(60))
    ch1_body = (
        '<div class="epigraph"><p>A town is not its chimneys.</p>'
        '<div class="attribution"><p>\u2014 Anna Vetrova</p></div></div>'
        + "".join(paragraphs(10, 4))
        + f"<p>{sentences(20, 3)}{call(1)} {sentences(21, 5)} The <span class=\"smallcaps\">"
          f"cpsu</span> and the <span class=\"smallcaps\">GPU</span> in 1927.{call(2)}</p>"
        + '<h2 id="ch1-the-looms">The Looms</h2>'
        + "".join(paragraphs(30, 3))
        + '<figure><img src="images/mill.jpg" alt="The mill from the river"/>'
          "<figcaption>The Red Anchor mill from the river, 1924.</figcaption></figure>"
        + "".join(paragraphs(35, 2))
        + "<hr/>"
        + "".join(paragraphs(40, 3))
        + '<figure><img src="images/stamp.jpg" alt="A stamp"/>'
          "<figcaption>A factory stamp.</figcaption></figure>"
        + '<h2 id="ch1-output">Output by Year</h2>'
        + "<table><thead><tr><th>Year</th><th>Event</th><th>Bales</th></tr></thead>"
          f"<tbody>{table_rows}</tbody></table>"
        + "".join(paragraphs(50, 2))
    )
    ch1 = chapter(root, "chapters/02-the-mill.md", "the-mill", "The Mill on the High Bank",
                  ch1_body, number=1, label="1", part_id="part-one",
                  headings=[("ch1-the-looms", "The Looms"), ("ch1-output", "Output by Year")],
                  notes=["<p>The mill was founded in 1872 by a Moscow merchant family.</p>",
                         "<p>The party and the political police; see the glossary.</p>"],
                  images=[wide, small])

    long_para = (f"<p>{sentences(60, 4)}{call(2)} {sentences(61, 3)}</p>" if long_note else "")
    ch2_body = (
        "".join(paragraphs(60, 2))
        + f"<p>{sentences(62, 4)}{call(1)} {sentences(63, 4)}</p>"
        + '<div class="verse"><p>The river does not care<br/>whether we are late,<br/>'
          "it carries ice and timber<br/>past the factory gate.</p></div>"
        + "".join(paragraphs(70, 3))
        + '<p>Words in other languages: <span lang="de">Donaudampfschifffahrtsgesellschaft'
          ' und Arbeiterbewegung</span>, <span lang="fr">anticonstitutionnellement et '
          'renseignements</span>, <span lang="ru">\u0434\u043e\u0441\u0442\u043e\u043f\u0440'
          '\u0438\u043c\u0435\u0447\u0430\u0442\u0435\u043b\u044c\u043d\u043e\u0441\u0442\u0438'
          "</span>.</p>"
        + "<blockquote><p>" + sentences(80, 4) + "</p></blockquote>"
        + "".join(paragraphs(85, 4))
        + long_para
        + "".join(paragraphs(90, 8))
        + extra_body
    )
    ch2 = chapter(root, "chapters/03-the-strike.md", "the-strike",
                  "The Three Days in the Autumn When the Weaving Shed Fell Silent",
                  ch2_body, number=2, label="2", part_id="part-one",
                  short_title="The Three Days",
                  notes=["<p>See the chronology.</p>"] + ([LONG_NOTE] if long_note else []))
    stress_body, stress = stress_notes() if many_notes else ("", [])
    ch3 = chapter(root, "chapters/04-after.md", "after", "After the Strike",
                  "".join(paragraphs(100, 7)) + '<p>See also <a href="#ch1-the-looms">the '
                  'looms</a> (page <a class="pageref" href="#ch1-the-looms"></a>).</p>'
                  + stress_body, number=3, label="3", notes=stress)
    appendix = chapter(root, "chapters/05-chronology.md", "chronology", "Chronology",
                       "<dl>" + "".join(f"<dt>{1920 + i}</dt><dd><p>{sentences(i, 2)}</p></dd>"
                                        for i in range(6)) + "</dl>",
                       kind="appendix", number=1, label="A")
    if with_parts:
        part = Part("part-one", "The Town", (ch1.evolve(depth=1), ch2.evolve(depth=1)),
                    number=1, label="One")
        items = (dedication, preface, part, ch3, appendix)
    else:
        items = (dedication, preface, ch1.evolve(part_id=None), ch2.evolve(part_id=None), ch3,
                 appendix)
    book = Book(root=root, slug="weavers", meta=meta(**meta_overrides), items=items,
                identifier="urn:uuid:3b2f0c1e-1111-4c1e-9d7a-000000000001")
    anchors = {}
    for c in book.chapters:
        for i in c.ids:
            anchors[i] = c.file_id
    anchors["part-one"] = "part-one"
    return book.evolve(anchors=anchors)


def default_layout(root: Path):
    return load_layout(root, "default")


def lay_out_one_chapter(book: Book, layout, **options):
    """The book's one chapter laid out (and repaired) at page 0, folio 1, with
    ``lay_out_piece``'s ``options``: the layout, its pages' PDF, and how many pages
    WeasyPrint laid out for it (every layout of it, repairs' included)."""
    from make_book.errors import Diagnostics
    from make_book.render.print import piece_layout, plan, repairs
    from make_book.render.print.results import Fixes
    from make_book.transforms.folios import PageMap

    found = Diagnostics()
    _, geometry = plan.geometries(book, found)
    render, counted = piece_layout.render_html, []

    def counting(source, document):
        laid, records = render(source, document)
        counted.append(len(laid.pages))
        return laid, records
    piece_layout.render_html = counting
    try:
        with piece_layout.patched(book, layout):
            source = piece_layout.prepare(book, layout, geometry, Fixes(), diagnostics=found)
            piece = next(p for p in plan.pieces(book, source.plan) if p.kind == "chapter")
            laid = piece_layout.lay_out_piece(piece, source=source,
                                              repairs=repairs.Repairs(), start=0, folio=1,
                                              page_map=PageMap({}, 0), **options)
            return laid, laid.documents[0].copy(laid.pages).write_pdf(), sum(counted)
    finally:
        piece_layout.render_html = render


def one_chapter_book(root: Path, slug: str, title: str, body: str, notes=(LONG_NOTE,)) -> Book:
    """A book of one chapter (``body``, its ``notes``), for the print repairs' tests."""
    ch = chapter(root, f"chapters/01-{slug}.md", slug, title, body, number=1, label="1",
                 notes=list(notes))
    book = Book(root=root, slug=slug, meta=meta(), items=(ch,),
                identifier=f"urn:uuid:3b2f0c1e-1111-4c1e-9d7a-{sum(map(ord, slug)):012d}")
    return book.evolve(anchors={i: ch.file_id for i in ch.ids})
