"""Releasing one book: build every format, pass the release gates (named by the codes that
failed them), draw the covers for the interior's page count, write the ONIX record and
collect what each edition's manifest entry says. Split from
:mod:`make_book.release.command`, which runs it over the books and writes the release.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace

from make_book.errors import (
    Diagnostics,
    MakeBookError,
    Severity,
)
from make_book.output import write_atomic
from make_book.release import manifest as mf
from make_book.release.versioning import _git

GATES = [  # (name, codes) to name what failed
    ("EPUBCheck", ("R030", "R034")), ("fonts", ("R031", "R032", "P001", "P007")),
    ("ISBN", ("R033", "M012", "M023")), ("ONIX", ("R02",)), ("cover", ("R00", "R01")),
    ("slug", ("B040",)), ("formats", ("D001",)), ("changes", ("D01",)),
]


@dataclass
class BookRelease:
    root: Path
    slug: str
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    artifacts: list[mf.Artifact] = field(default_factory=list)
    staged: Path | None = None
    ok: bool = False

    def failed_gates(self, strict: bool) -> list[str]:
        bad = [d for d in self.diagnostics if d.is_error or strict]
        names: list[str] = []
        for d in bad:
            name = next((n for n, codes in GATES if d.code.startswith(codes)), "build")
            if name not in names:
                names.append(name)
        return names


def _isbn13(isbn) -> str | None:
    return isbn.isbn13 if isbn is not None else None


def release_book(root: Path, staging: Path, *, strict: bool,
                 on_stage: Callable[[str], None] | None = None,
                 epoch: int | None = None) -> BookRelease:
    """Build, gate and finish one book in ``staging/<slug>/``, every artifact dated by
    ``epoch``; artifacts are relative to ``staging`` (the release folder's layout). The
    book's ``formats:`` (make_book.formats) say which editions are built; a format this
    make-book cannot render fails the book (a release must hold what the book asks for)."""
    from make_book.build import build_book, source_date
    from make_book.config.load import load_book_metadata
    from make_book.config.prices import prices_of
    from make_book.formats import book_formats
    from make_book.layouts import load_layout
    from make_book.release import gate, onix
    from make_book.release.changes_file import changes_for_release
    from make_book.release.inspect import epub_facts, pdf_facts
    from make_book.render.cover import draw as covers
    from make_book.render.cover import print_cover

    stage = on_stage or (lambda _: None)
    asked = book_formats(root)
    formats = asked.build
    built = build_book(root, formats, staging, strict, on_stage, epoch=epoch)  # type: ignore[arg-type]
    rel = BookRelease(root=root, slug=built.slug, diagnostics=built.diagnostics)
    d = rel.diagnostics
    for missing in asked.missing:  # not built is not released
        d.add(replace(missing, severity=Severity.ERROR))
    if not built.ok or d.failed(strict):
        return rel
    if built.qa_path is not None:  # the build's own check, not a deliverable: what ships
        built.qa_path.unlink(missing_ok=True)  # is in the manifest; its findings were reported
    where = root.resolve() / "book.yaml"
    book_dir = staging / built.slug
    rel.staged = book_dir
    paths = {a.format: a.path for a in built.artifacts}
    epub_path, pdf_path = paths.get("epub"), paths.get("pdf")
    efacts = pfacts = cover = jpeg = None
    try:
        meta = load_book_metadata(root.resolve())
        layout = load_layout(root.resolve(), meta.layout)
        stage("checking")
        if epub_path is not None:
            efacts = epub_facts(epub_path)
            gate.check_epub(epub_path, d, where)
        if pdf_path is not None:
            pfacts = pdf_facts(pdf_path)
            gate.check_fonts(pfacts, layout, "print interior", d, where)
        sfacts = pdf_facts(paths["screen"]) if "screen" in paths else None
        if sfacts is not None:
            gate.check_fonts(sfacts, layout, "screen PDF", d, where)
        gate.check_isbns(meta, efacts, d, where)

        when = source_date(SimpleNamespace(meta=meta), epoch)  # type: ignore[arg-type]
        stage("covers")
        if epub_path is not None:
            jpeg = covers.epub_cover(meta, layout, root.resolve(), d)
        if pfacts is not None:
            cover = print_cover.render_print_cover(meta, layout, root.resolve(), pfacts.pages,
                                              source_date=when, diagnostics=d)
            if cover is not None:
                gate.check_fonts(pdf_facts(cover.pdf), layout, "print cover", d, where)
        stage("ONIX")
        products = onix.products_for(
            meta, built=set(paths), pages=pfacts.pages if pfacts else None,
            front_pages=pfacts.front_pages if pfacts else None,
            thickness_in=cover.spine_in if cover else None, epub=efacts, diagnostics=d,
            where=where)
        identifier = (efacts.identifier if efacts else None) or meta.identifier \
            or f"make-book:{built.slug}"
        record = onix.onix_record(meta, identifier, products, prices=prices_of(meta),
                                  source_date=when, diagnostics=d, where=where)
        stage("changes")
        head = _git(["describe", "--tags", "--exact-match"], root.resolve()) \
            or _git(["rev-parse", "--short", "HEAD"], root.resolve())
        changes = changes_for_release(root.resolve(), head, d)
    except MakeBookError as exc:
        d.extend(exc.diagnostics)
        return rel
    if d.failed(strict) or record is None or (epub_path is not None and jpeg is None) \
            or (pdf_path is not None and cover is None):
        return rel

    slug = built.slug
    epub_isbn = _isbn13(meta.isbn.epub) if meta.isbn else None
    print_isbn = _isbn13(print_cover.print_isbn(meta))
    facts: dict[str, tuple[Path, dict]] = {}
    for fmt, path in paths.items():
        facts.update(_edition_facts(fmt, path, meta, efacts, pfacts))
    if jpeg is not None:
        facts["epub-cover"] = (write_atomic(book_dir / f"{slug}-cover.jpg", jpeg, staging),
                               {"isbn": epub_isbn})
    if cover is not None and pfacts is not None:
        facts["print-cover"] = (
            write_atomic(book_dir / f"{slug}-cover.pdf", cover.pdf, staging),
            {"isbn": print_isbn, "pages": pfacts.pages, "spine_in": cover.spine_in,
             "paper": cover.paper.name})
    facts["onix"] = (write_atomic(book_dir / f"{slug}-onix.xml", record, staging), {})
    if changes is not None:
        facts["changes"] = (write_atomic(book_dir / "CHANGES.md", changes, staging), {})
    if sfacts is not None and "screen" in facts:
        facts["screen"][1]["pages"] = sfacts.pages
    rel.artifacts = [mf.artifact_for(staging, path, book=slug, format=fmt, **extra)
                     for fmt, (path, extra) in facts.items()]
    rel.artifacts += [mf.artifact_for(staging, file, book=slug, format=fmt)
                      for fmt, folder in paths.items() if folder.is_dir()
                      for file in sorted(folder.rglob("*")) if file.is_file()]
    rel.ok = True
    return rel


def _edition_facts(fmt: str, path: Path, meta, efacts, pfacts) -> dict[str, tuple[Path, dict]]:
    """The manifest entry of one built edition, by the name the manifest has always used
    (``print`` for the interior); a folder (the web edition) is listed file by file by the
    caller. kepub and kindle are deliveries of the EPUB product: they carry its ISBN."""
    from make_book.formats import EDITIONS
    from make_book.render.cover import print_cover
    if path.is_dir():
        return {}
    isbns = meta.isbn
    if fmt == "pdf":
        return {"print": (path, {"isbn": _isbn13(print_cover.print_isbn(meta)),
                                 "pages": pfacts.pages if pfacts else None})}
    if fmt == "epub":
        return {"epub": (path, {"isbn": _isbn13(isbns.epub) if isbns else None,
                                "words": efacts.words if efacts else None})}
    edition = EDITIONS.get(fmt)
    key = (edition.delivers or (edition.isbn_keys[0] if edition.isbn_keys else None)
           if edition else None)
    isbn = getattr(isbns, key, None) if isbns is not None and key else None
    return {fmt: (path, {"isbn": _isbn13(isbn)})}
