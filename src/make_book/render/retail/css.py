"""Style rules of a stylesheet as tinycss2 reads them (selectors, declarations with their
lines), and the stylesheet written back with some rules or declarations changed.

tinycss2 (WeasyPrint's CSS parser, installed with it) tokenises as browsers do: comments,
strings and nested blocks cannot fool it as they would a regular expression, and a rule
left alone is serialised exactly as it was written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import tinycss2
from tinycss2.ast import Declaration, QualifiedRule


@dataclass
class Decl:
    name: str  # lower case
    value: str  # as written, stripped
    important: bool
    line: int


@dataclass
class Rule:
    node: QualifiedRule
    selectors: list[str]  # the comma-separated selectors, whitespace collapsed
    declarations: list[Decl]

    @property
    def line(self) -> int:
        return self.node.source_line


def _selectors(rule: QualifiedRule) -> list[str]:
    text = tinycss2.serialize(rule.prelude)
    return [" ".join(part.split()) for part in _split_commas(text) if part.strip()]


def _split_commas(text: str) -> list[str]:
    """Split a selector list at top-level commas (not those inside ``:is(a, b)``)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _declarations(rule: QualifiedRule) -> list[Decl]:
    out = []
    for node in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                skip_whitespace=True):
        if isinstance(node, Declaration):
            out.append(Decl(node.lower_name, tinycss2.serialize(node.value).strip(),
                            node.important, node.source_line))
    return out


def style_rules(css: str) -> Iterator[Rule]:
    """Every style rule, those inside ``@media`` and ``@supports`` blocks included."""
    yield from _rules(tinycss2.parse_stylesheet(css, skip_comments=False,
                                                skip_whitespace=False))


def _rules(nodes) -> Iterator[Rule]:
    for node in nodes:
        if isinstance(node, QualifiedRule):
            yield Rule(node, _selectors(node), _declarations(node))
        elif node.type == "at-rule" and node.content is not None \
                and node.lower_at_keyword in ("media", "supports"):
            yield from _rules(tinycss2.parse_rule_list(node.content, skip_comments=False,
                                                       skip_whitespace=False))


def rewrite(css: str, edit: Callable[[Rule], str | None]) -> str:
    """The stylesheet with each top-level style rule replaced by ``edit(rule)``: the same
    rule's text to keep it, other text to change it, "" to drop it (None keeps it too)."""
    out = []
    for node in tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False):
        text = tinycss2.serialize([node])
        if isinstance(node, QualifiedRule):
            new = edit(Rule(node, _selectors(node), _declarations(node)))
            text = text if new is None else new
        out.append(text)
    return "".join(out)


def rule_text(selectors: list[str], declarations: list[Decl]) -> str:
    body = " ".join(f"{d.name}: {d.value}{' !important' if d.important else ''};"
                    for d in declarations)
    return f"{', '.join(selectors)} {{ {body} }}"
