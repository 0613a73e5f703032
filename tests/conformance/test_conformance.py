"""make-book reads Pandoc Markdown as Pandoc does: each case's structure, compared.

One test per case in ``cases/<group>.yaml`` (id ``group/name``): the Markdown goes through
make-book's chapter pipeline and through Pandoc (``markdown`` -> ``html5``); both results
are normalized (normalize.py) and must be equal. A case with ``xfail:`` documents a known
difference and fails strictly: when it starts passing, remove the ``xfail``.
"""

from __future__ import annotations

import difflib

import pytest

from tests.conformance.cases import load_cases
from tests.conformance.pipeline import compare

pypandoc = pytest.importorskip("pypandoc")

CASES = load_cases()


def _param(case):
    marks = [pytest.mark.xfail(reason=case.xfail, strict=True)] if case.xfail else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_conformance(case):
    ours, pandoc, diagnostics = compare(case.markdown)
    if ours != pandoc:
        diff = "\n".join(difflib.unified_diff(pandoc, ours, "pandoc", "make-book", lineterm=""))
        pytest.fail(f"{case.id}: structure differs from Pandoc's\n{case.markdown}\n{diff}\n"
                    "make-book's diagnostics:\n" + ("\n".join(diagnostics) or "(none)"),
                    pytrace=False)
