"""Every claim of docs/security.md has a test, and every test's claim is in the document.

A claim carries an id in the document (``[S12]``); a test that proves it is marked
``@pytest.mark.claim("S12")`` (a module may mark all its tests with ``pytestmark``). The
marks are read from the test files' syntax trees, not by collecting them, so this test
costs milliseconds and sees tests that are skipped on this machine too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "security.md"
TESTS = ROOT / "tests"
CLAIM_ID = re.compile(r"\[(S\d+)\]")


def claims_in(text: str) -> list[str]:
    """The ids the document gives its claims, in order (a repeat shows twice)."""
    return CLAIM_ID.findall(text)


def _is_claim_mark(node: ast.AST) -> bool:
    """``pytest.mark.claim(...)`` (or ``mark.claim(...)``)."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "claim" and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "mark")


def marks_in(source: str, filename: str) -> list[tuple[str, int]]:
    """(id, line) for each id a ``claim`` mark in ``source`` names. An argument that is
    not a literal string is reported as such, so a mark cannot hide its ids."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if _is_claim_mark(node):
            if not node.args:
                found.append(("<no id>", node.lineno))
            for arg in node.args:
                value = arg.value if isinstance(arg, ast.Constant) else None
                found.append((value if isinstance(value, str) else "<not a literal>",
                              node.lineno))
    return found


def all_marks() -> dict[str, list[str]]:
    """id -> the places (``file:line``) that mark a test with it."""
    where: dict[str, list[str]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for cid, line in marks_in(path.read_text(encoding="utf-8"), rel):
            where.setdefault(cid, []).append(f"{rel}:{line}")
    return where


def test_every_claim_has_a_test_and_every_mark_a_claim():
    claims = claims_in(DOCUMENT.read_text(encoding="utf-8"))
    marks = all_marks()
    assert claims, "docs/security.md gives no claim an id"
    repeated = sorted({c for c in claims if claims.count(c) > 1})
    untested = [c for c in claims if c not in marks]
    unknown = {c: places for c, places in marks.items() if c not in claims}
    assert not repeated, f"ids given to two claims in docs/security.md: {repeated}"
    assert not untested, f"claims of docs/security.md that no test marks: {untested}"
    assert not unknown, f"marks naming no claim of docs/security.md: {unknown}"


def test_the_check_sees_what_it_must():
    """The reader of marks and ids itself: a decorator, a module mark, several ids, and a
    mark whose id is computed (refused rather than trusted)."""
    source = '''
import pytest
pytestmark = pytest.mark.claim("S1")

@pytest.mark.claim("S2", "S3")
def test_a(): pass

@pytest.mark.parametrize("x", [1])
@pytest.mark.claim("S" + "4")
def test_b(x): pass

@pytest.mark.slow
def test_c(): pass
'''
    assert marks_in(source, "t.py") == [("S1", 3), ("S2", 5), ("S3", 5),
                                        ("<not a literal>", 9)]
    assert claims_in("a claim [S1] and [S22], not [X3] or S4") == ["S1", "S22"]


@pytest.mark.claim("S54")
def test_property_tests_draw_the_same_examples_on_every_run():
    """The suite's hypothesis profile (tests/conftest.py): derandomized, no example
    database, unless a hunt was asked for."""
    import os

    from hypothesis import settings
    if os.environ.get("MAKE_BOOK_FUZZ_HUNT"):
        pytest.skip("a bug hunt draws new examples on purpose")
    assert settings.default.derandomize is True
    assert settings.default.database is None
