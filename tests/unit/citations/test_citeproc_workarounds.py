"""The citeproc-py behaviours citations/processor.py works around are still there: when a
new citeproc-py fixes one, its test here fails, and the workaround should go."""

from __future__ import annotations

import io

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter
from citeproc.model import If
from citeproc.source.json import CiteProcJSON

from make_book.citations import processor

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
    assert _cite(monkeypatch, processor._if_render) == "DISAMBIGUATED"


def test_the_workaround_makes_that_test_fail(monkeypatch):
    assert _cite(monkeypatch, processor._render_if) == "PLAIN"


def test_the_workarounds_are_installed():
    from citeproc.model import Names
    assert If.render is processor._render_if
    assert Names.render is processor._render_names


@pytest.mark.parametrize("name", ["_names_render", "_if_render"])
def test_the_originals_are_citeprocs_own(name):
    assert getattr(processor, name).__module__ == "citeproc.model"
