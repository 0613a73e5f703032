"""The citeproc-py behaviours citations/citeproc_patches.py works around are still there: when a
new citeproc-py fixes one, its test here fails, and the workaround should go."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.model import If
from citeproc.source.json import CiteProcJSON

from make_book.citations import citeproc_patches

ROOT = Path(__file__).resolve().parents[3]

STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout>
    <choose><if disambiguate="true"><text value="DISAMBIGUATED"/></if>
      <else><text value="PLAIN"/></else></choose>
  </layout></citation>
</style>"""
ITEMS = [{"id": "a", "type": "book", "title": "A", "author": [{"family": "Adler"}]}]


def _cite(monkeypatch, render) -> str:
    monkeypatch.setattr(If, "render", render)
    style = CitationStylesStyle(io.BytesIO(STYLE.encode()), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(ITEMS), formatter.plain)
    citation = Citation([CitationItem("a")])
    bibliography.register(citation)
    return str(bibliography.cite(citation, lambda item: None))


def test_citeproc_still_takes_a_lone_disambiguate_test_as_passed(monkeypatch):
    """Unpatched, one reference that needs no telling apart is 'disambiguated'."""
    assert _cite(monkeypatch, citeproc_patches._if_render) == "DISAMBIGUATED"


def test_the_workaround_makes_that_test_fail(monkeypatch):
    assert _cite(monkeypatch, citeproc_patches._render_if) == "PLAIN"


def test_the_workarounds_are_installed():
    from citeproc.model import Date_Part, Layout, Name, Names, Text
    assert If.render is citeproc_patches._render_if
    assert Names.render is citeproc_patches._render_names
    assert Layout.render_children is citeproc_patches._render_layout_children
    assert Date_Part.process is citeproc_patches._process_date_part
    assert Name.get_option is citeproc_patches._name_option
    assert Name.process is citeproc_patches._process_name
    assert Text._variable is citeproc_patches._text_variable_value
    assert Text._term is citeproc_patches._text_term_value


@pytest.mark.parametrize("name", ["_names_render", "_if_render", "_layout_render_children",
                                  "_date_part_process", "_name_get_option", "_name_process",
                                  "_text_variable", "_text_term"])
def test_the_originals_are_citeprocs_own(name):
    assert getattr(citeproc_patches, name).__module__ == "citeproc.model"


def test_citeproc_still_has_no_disambiguation_of_its_own():
    """Unpatched, two works of one author and year print alike: when citeproc-py adds
    year suffixes itself, the disambiguation module should go."""
    from citeproc.model import Date_Part, Layout
    style = CitationStylesStyle(str(ROOT / "layouts" / "default" / "csl" /
                                    "chicago-author-date-16th-edition.csl"), validate=False)
    works = [{"id": k, "type": "book", "title": t, "author": [{"family": "Smith"}],
              "issued": {"date-parts": [[1999]]}} for k, t in (("a", "One"), ("b", "Two"))]
    saved = Layout.render_children, Date_Part.process
    Layout.render_children, Date_Part.process = (citeproc_patches._layout_render_children,
                                                 citeproc_patches._date_part_process)
    try:
        bibliography = CitationStylesBibliography(style, CiteProcJSON(works), formatter.plain)
        cites = [Citation([CitationItem(k)]) for k in ("a", "b")]
        for citation in cites:
            bibliography.register(citation)
        texts = [str(bibliography.cite(c, lambda item: None)) for c in cites]
    finally:
        Layout.render_children, Date_Part.process = saved
    assert texts == ["(Smith 1999)", "(Smith 1999)"]
