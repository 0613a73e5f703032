"""One check that each WeasyPrint workaround (render/weasy/) still applies, reported as a
B060 warning when a WeasyPrint change breaks what it relies on."""

from __future__ import annotations

import importlib
from pathlib import Path

from weasyprint.layout import block, inline

from make_book.build import build_book
from make_book.errors import Diagnostics
from make_book.render import weasy
from make_book.render.weasy import notes as weasy_notes
from make_book.render.weasy.reliance import Reliance, reads, takes


def test_every_workaround_applies_to_the_installed_weasyprint():
    assert weasy.broken_workarounds() == []


def test_every_module_of_the_package_is_checked_and_states_its_reliances():
    """A workaround added to the package without RELIES_ON (or left out of the check)
    fails here."""
    package = Path(weasy.__file__).parent
    modules = {p.stem for p in package.glob("*.py")} - {"__init__", "reliance"}
    assert modules == set(weasy.WORKAROUNDS)
    for name in weasy.WORKAROUNDS:
        reliances = importlib.import_module(f"make_book.render.weasy.{name}").RELIES_ON
        assert reliances and all(isinstance(r, Reliance) and r.what for r in reliances)


def test_a_changed_signature_is_a_warning_naming_the_workarounds(monkeypatch):
    def split_first_line(text, style, context, max_width):  # a later WeasyPrint, say
        raise AssertionError("not called by the check")

    monkeypatch.setattr(inline, "split_first_line", split_first_line)
    diagnostics = Diagnostics()
    weasy.check_workarounds(diagnostics)
    found = list(diagnostics)
    assert [d.code for d in found] == ["B060", "B060"]
    assert not diagnostics.failed() and diagnostics.failed(strict=True)
    assert "render/weasy/lines.py" in found[0].message
    assert "render/weasy/hyphens.py" in found[1].message
    assert all("split_first_line takes" in d.message for d in found)
    assert found[0].format().startswith("make-book: B060 warning: WeasyPrint ")


def test_a_changed_source_is_a_warning(monkeypatch):
    """notes.py recompiles WeasyPrint's own source with one condition off: a WeasyPrint
    whose source no longer holds that condition is reported (and left alone)."""
    def _linebox_layout(context, box, index, child, new_children, page_is_empty):
        return None  # a WeasyPrint that decides the question some other way

    weasy_notes._patched_linebox_layout.cache_clear()
    monkeypatch.setattr(block, "_linebox_layout", _linebox_layout)
    try:
        found = weasy.broken_workarounds()
        with weasy_notes.notes_stay_with_calls() as kept:
            assert kept is False
    finally:
        weasy_notes._patched_linebox_layout.cache_clear()
    assert len(found) == 1 and "render/weasy/notes.py" in found[0].message
    assert weasy_notes.REPORT_LINE in found[0].message


def test_a_workaround_that_cannot_be_imported_is_a_warning(monkeypatch):
    monkeypatch.setattr(weasy, "WORKAROUNDS", (*weasy.WORKAROUNDS, "gone"))
    found = weasy.broken_workarounds()
    assert len(found) == 1 and "render/weasy/gone.py" in found[0].message
    assert "cannot be imported" in found[0].message


def test_a_reliance_whose_check_raises_does_not_hold():
    assert not Reliance("a name WeasyPrint dropped", lambda: block.no_such_function).still_holds()
    assert Reliance("the parameters", lambda: takes(takes, "function", "names")).still_holds()
    assert not reads(takes, "a line not in it")


def test_a_print_build_reports_a_workaround_that_no_longer_applies(tmp_path, monkeypatch):
    """The check runs with every print build: the warning comes with the PDF, not instead
    of it, and no traceback."""
    (tmp_path / "chapters").mkdir()
    (tmp_path / "book.yaml").write_text("title: Checked\nauthor: Test Author\nlang: en\n"
                                        "date: 2026-01-01\n", encoding="utf-8")
    (tmp_path / "chapters" / "01-one.md").write_text("# One\n\nA line of text.\n",
                                                     encoding="utf-8")
    monkeypatch.setattr(weasy_notes, "RELIES_ON",
                        (Reliance("a fact a later WeasyPrint changed", lambda: False),))
    result = build_book(tmp_path, ["pdf"], tmp_path / "out")
    assert [d.code for d in result.diagnostics] == ["B060"]
    assert "render/weasy/notes.py" in result.diagnostics.warnings[0].message
    assert not result.diagnostics.failed()
