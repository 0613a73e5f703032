"""Python-Markdown's inline pass, skipping the patterns that cannot match a text.

Python-Markdown tries each of the ~30 inline patterns on every text, one regular
expression search each, again on the text of every element a match makes; in a novel
almost none of them can match a paragraph of plain prose, yet the tries are a third of
its conversion. Most patterns can only start with a few characters (``*`` or ``_``,
``[``, ``<``, a backslash): :func:`first_chars` reads them from the pattern's regular
expression, and a text holding none of them skips the pattern, exactly as a search that
finds nothing would. The output is the same.

This replaces a private method, ``InlineProcessor.__handleInline`` (name-mangled), and
relies on how it and ``__applyPattern`` read in Python-Markdown 3.x (``RELIES_ON``). When
one of those facts no longer holds, :func:`inline_pass` returns the stock pass (slower,
never different) and :func:`check_workaround` says so in every build, as B061.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable

from markdown import treeprocessors, util
from markdown.treeprocessors import InlineProcessor

from make_book.errors import Diagnostics

try:  # the regular expression parser behind re.compile (3.11+)
    from re import _constants as sre_c
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover (an older or newer Python)
    sre_c = sre_parse = None

MAX_CLASS = 64  # a character class wider than this is not worth listing


def _reads(function: Callable, *lines: str) -> bool:
    source = inspect.getsource(function)
    return all(line in source for line in lines)


def _parameters(function: Callable) -> tuple[str, ...]:
    return tuple(inspect.signature(function).parameters)


_HANDLE = "_InlineProcessor__handleInline"
_APPLY = "_InlineProcessor__applyPattern"
# (what, whether it still holds): what the replacement counts on in Python-Markdown
RELIES_ON: tuple[tuple[str, Callable[[], bool]], ...] = (
    ("InlineProcessor.__handleInline(self, data, patternIndex) exists",
     lambda: _parameters(getattr(InlineProcessor, _HANDLE))
     == ("self", "data", "patternIndex")),
    ("InlineProcessor.__applyPattern(self, pattern, data, patternIndex, startIndex) exists",
     lambda: _parameters(getattr(InlineProcessor, _APPLY))
     == ("self", "pattern", "data", "patternIndex", "startIndex")),
    ("__handleInline tries the patterns in order, the next one when one does not match",
     lambda: _reads(getattr(InlineProcessor, _HANDLE),
                    "if not isinstance(data, util.AtomicString):",
                    "data, matched, startIndex = self.__applyPattern(",
                    "if not matched:", "patternIndex += 1", "return data")),
    ("__applyPattern matches only by the pattern's compiled regular expression, and "
     "returns the text unchanged and start 0 when it finds nothing",
     lambda: _reads(getattr(InlineProcessor, _APPLY),
                    "pattern.getCompiledRegExp().finditer(data, startIndex)",
                    "if not match:\n            return data, False, 0")),
    ("InlineProcessor.run and __applyPattern call __handleInline",
     lambda: _reads(InlineProcessor.run, "self.__handleInline(")
     and _reads(getattr(InlineProcessor, _APPLY), "self.__handleInline(")),
    ("Python's regular expression parser is re._parser", lambda: sre_parse is not None
     and callable(sre_parse.parse)),
)


@functools.cache
def broken() -> tuple[str, ...]:
    """The facts in ``RELIES_ON`` that no longer hold (a check that raises does not)."""
    failed = []
    for what, holds in RELIES_ON:
        try:
            ok = bool(holds())
        except Exception:  # noqa: BLE001 (any failure means the internal moved)
            ok = False
        if not ok:
            failed.append(what)
    return tuple(failed)


# ------------------------------------------------------------------ first characters


@functools.cache
def _first_chars(pattern: str, flags: int) -> frozenset[str] | None:
    if flags & re.IGNORECASE or sre_parse is None:
        return None
    try:
        chars, nullable = _firsts(sre_parse.parse(pattern, flags))
    except Exception:  # noqa: BLE001 (a construct the reader does not know: no skipping)
        return None
    return None if chars is None or nullable else frozenset(chars)


def first_chars(compiled: re.Pattern) -> frozenset[str] | None:
    """The characters a match of ``compiled`` can start with; None when it can start
    with any (or the expression is beyond this reading, or may match nothing)."""
    return _first_chars(compiled.pattern, compiled.flags)


def _firsts(items) -> tuple[set[str] | None, bool]:
    """(characters a match of ``items`` can start with, or None for any; whether the
    items can match the empty string)."""
    chars: set[str] = set()
    for op, arg in items:
        if op is sre_c.LITERAL:
            chars.add(chr(arg))
            return chars, False
        if op is sre_c.IN:
            found = _class(arg)
            if found is None:
                return None, False
            return chars | found, False
        if op in (sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.AT):
            continue  # zero width: the next item starts the match
        if op is sre_c.SUBPATTERN:
            _, add_flags, _, sub = arg
            if add_flags & re.IGNORECASE:
                return None, False
            found, nullable = _firsts(sub)
        elif op is sre_c.BRANCH:
            found, nullable = set(), False
            for branch in arg[1]:
                some, empty = _firsts(branch)
                if some is None:
                    return None, False
                found |= some
                nullable = nullable or empty
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            low, _, sub = arg
            found, nullable = _firsts(sub)
            nullable = nullable or low == 0
        elif op is sre_c.ATOMIC_GROUP:
            found, nullable = _firsts(arg)
        else:  # any character, a negated one, a back reference, ...
            return None, False
        if found is None:
            return None, False
        chars |= found
        if not nullable:
            return chars, False
    return chars, True


def _class(items) -> set[str] | None:
    chars: set[str] = set()
    for op, arg in items:
        if op is sre_c.LITERAL:
            chars.add(chr(arg))
        elif op is sre_c.RANGE and arg[1] - arg[0] < MAX_CLASS:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:  # negated, a category (\w, \s), a wide range
            return None
    return chars if len(chars) <= MAX_CLASS else None


# ------------------------------------------------------------------ the pass


# every character a placeholder for a matched span can hold (STX, the prefix, a number, ETX)
PLACEHOLDER_CHARS = frozenset(util.INLINE_PLACEHOLDER % "0123456789")


class SkippingInlineProcessor(InlineProcessor):
    """The stock pass, but a pattern none of whose first characters is in the text is
    passed over as one that finds no match."""

    def run(self, tree, ancestors=None):
        self.first_chars = tuple(first_chars(p.getCompiledRegExp())
                                 for p in self.inlinePatterns)
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, util.AtomicString):
            return data
        patterns = self.inlinePatterns
        starts = self.first_chars
        apply = self._InlineProcessor__applyPattern
        present = set(data)
        start = 0
        count = len(patterns)
        while patternIndex < count:
            can = starts[patternIndex]
            if can is not None and can.isdisjoint(present):
                patternIndex += 1  # as __applyPattern finding nothing: (data, False, 0)
                start = 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if matched:  # the match's text became a placeholder: add its characters (a
                # superset only skips less; set(data) again made a paragraph of many
                # matches quadratic, tests/security/test_limits.py)
                present |= PLACEHOLDER_CHARS
            else:
                patternIndex += 1
        return data


def inline_pass(md) -> InlineProcessor:
    """The skipping pass, or the stock one when Python-Markdown no longer reads as
    ``RELIES_ON`` says (:func:`check_workaround` tells the build so, as B061)."""
    if broken():
        return treeprocessors.InlineProcessor(md)
    return SkippingInlineProcessor(md)


def check_workaround(diagnostics: Diagnostics) -> None:
    """B061, a warning, when the faster pass is off: the output is the same, only slower,
    but the workaround needs updating for this Python-Markdown (``--strict`` fails)."""
    if failed := broken():
        from importlib.metadata import version  # only to name it: costly to import
        diagnostics.warning(
            "B061", f"Python-Markdown {version('markdown')}: the workaround "
                    "markup/md_inline_pass.py no longer applies (chapters are converted by "
                    "Markdown's own inline pass: the same output, slower): it relies on "
                    "this, which no longer holds: " + "; ".join(failed),
            hint="update markup/md_inline_pass.py for this Python-Markdown or install the "
                 "version it was written for (3.x, see pyproject.toml)")


__all__ = ["RELIES_ON", "SkippingInlineProcessor", "broken", "check_workaround",
           "first_chars", "inline_pass"]
