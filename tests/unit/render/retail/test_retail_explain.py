"""docs/retail.md is the lists of changes as they are, and every change says why."""

from __future__ import annotations

import inspect
from pathlib import Path

from make_book.render.retail.editions import EDITIONS
from make_book.render.retail.explain import retail_doc

DOC = Path(__file__).resolve().parents[4] / "docs" / "retail.md"


def test_docs_retail_md_is_generated_from_the_lists():
    assert DOC.read_text(encoding="utf-8") == retail_doc(), (
        "regenerate: PYTHONPATH=src python -m make_book.render.retail.explain > docs/retail.md")


def test_every_change_is_listed_once_with_a_summary_and_a_reason():
    doc = retail_doc()
    for changes in EDITIONS.values():
        for change in changes:
            assert doc.count(f"**`{change.__name__}`**") == 1
            summary, _, reason = inspect.cleandoc(change.__doc__ or "").partition("\n\n")
            assert summary and reason, change.__name__
