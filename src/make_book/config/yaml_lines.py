"""YAML with a line number for every key and list item, and no silent surprises.

PyYAML forgets where values came from, so validation errors could not say which line is
wrong; it also keeps the last of two equal keys without a word. Here the node tree is walked
once to record lines and find duplicate keys, then constructed.

The loader is PyYAML's safe loader with three YAML 1.1 traps removed, because a book.yaml is
written by people who expect what they typed:

- only ``true``/``false`` are booleans (``lang: no`` is Norwegian, not False; pydantic still
  accepts ``yes``/``no`` strings where a boolean is wanted);
- only plain decimals without a leading zero are integers (``0306406152`` is an ISBN-10, not
  an octal number; ``1:20`` is not sexagesimal);
- nothing is a float (the schema has no floats, and ``edition: 1.10`` must not become 1.1).

Dates such as ``2017-10-19`` still load as :class:`datetime.date`; an impossible one such as
``2017-13-45`` stays a string so that validation can report it instead of crashing.

Before anything is composed, one pass over the parser's events bounds what the file can
cost: nesting depth (PyYAML composes and constructs by recursion, so 1,000 nested ``[`` end
in RecursionError), the number of values once every alias is expanded (a "billion laughs"
bomb is a few lines of anchors that each repeat the one before nine times) and the length
of one value (a 20 MB title trimmed to one line still has to be typeset, on the cover too).

Codes: M001 YAML syntax, M002 duplicate key, M003 not a mapping, M004 empty,
M060 nested too deep, M061 too many values once aliases are expanded, M062 a value too long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from make_book.errors import Diagnostic, error

YAML_SYNTAX = "M001"
DUPLICATE_KEY = "M002"
NOT_A_MAPPING = "M003"
EMPTY = "M004"
TOO_DEEP, TOO_MANY_VALUES, TOO_LONG = "M060", "M061", "M062"

# Sized far beyond real files: a book.yaml nests 5 levels (contents > part > contents >
# file > key), a 2,000-chapter catalogue entry holds some 10,000 values, and a blurb
# (``description``) is a few thousand characters.
MAX_YAML_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 40
MAX_VALUES = 200_000
MAX_VALUE_CHARS = 50_000

Loc = tuple[str | int, ...]

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(yaml.SafeLoader):
    """SafeLoader without the YAML 1.1 boolean, integer and float guesses (see module doc)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"),
                              list("-+0123456789"))


def _timestamp(loader: _Loader, node: ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:  # 2017-13-45: leave it to the date validator to explain
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


@dataclass
class LineMap:
    """1-based line of each key (``("isbn", "epub")``) and list item (``("contents", 2)``)."""

    lines: dict[Loc, int] = field(default_factory=dict)
    root: int = 1

    def __contains__(self, loc: Loc) -> bool:
        return tuple(loc) in self.lines

    def get(self, loc: Loc) -> int | None:
        return self.lines.get(tuple(loc))

    def line_for(self, loc: Loc) -> int:
        """The line of ``loc``, else of its nearest recorded parent, else of the document."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.root


def _line(mark, line_offset: int) -> int:
    return mark.line + 1 + line_offset


def _walk(node: Node, loc: Loc, lines: LineMap, diags: list[Diagnostic], path: Path,
          offset: int, seen: set[int]) -> None:
    if id(node) in seen:  # an alias: lines were recorded where the anchor is
        return
    seen.add(id(node))
    if isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            lines.lines[loc + (i,)] = _line(item.start_mark, offset)
            _walk(item, loc + (i,), lines, diags, path, offset, seen)
    elif isinstance(node, MappingNode):
        first: dict[str, int] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                continue
            key, line = key_node.value, _line(key_node.start_mark, offset)
            if key in first:  # PyYAML keeps the last one, so its lines are recorded too
                diags.append(error(DUPLICATE_KEY,
                                   f"duplicate key '{key}' (first at line {first[key]})",
                                   path, line, hint="remove one of them"))
            else:
                first[key] = line
            lines.lines[loc + (key,)] = line
            _walk(value_node, loc + (key,), lines, diags, path, offset, seen)
        for merged in merges:  # `<<: *anchor`: keys written here win over merged ones
            for m in merged.value if isinstance(merged, SequenceNode) else [merged]:
                if isinstance(m, MappingNode):
                    for key_node, _ in m.value:
                        if isinstance(key_node, ScalarNode):
                            lines.lines.setdefault(loc + (key_node.value,),
                                                   _line(key_node.start_mark, offset))


def check_bounds(text: str, path: Path, line_offset: int = 0) -> Diagnostic | None:
    """The first bound of the module docstring ``text`` passes, as a diagnostic at its
    line; None when it passes them all (or has a syntax error, left to the loader)."""
    sizes: dict[str, int] = {}  # anchor -> values it stands for, aliases expanded
    stack: list[list] = []  # open collections: [anchor, values so far]
    total = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                stack.append([event.anchor, 1])
                if len(stack) > MAX_DEPTH:
                    return error(TOO_DEEP, f"values nested more than {MAX_DEPTH} levels deep",
                                 path, _line(event.start_mark, line_offset),
                                 hint="no book needs this: flatten the structure")
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, size = stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
                if len(event.value) > MAX_VALUE_CHARS:
                    return error(TOO_LONG, f"a value of {len(event.value):,} characters; "
                                 f"the limit is {MAX_VALUE_CHARS:,}", path,
                                 _line(event.start_mark, line_offset),
                                 hint="keep long texts in a chapter file")
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor, 1)
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            if stack:
                stack[-1][1] += size
            else:
                total += size
            if total + sum(s for _, s in stack) > MAX_VALUES:
                return error(TOO_MANY_VALUES, f"more than {MAX_VALUES:,} values once its "
                             "aliases (*name) are expanded", path,
                             _line(event.start_mark, line_offset),
                             hint="write the values out instead of repeating anchors")
    except yaml.YAMLError:
        return None
    return None


def _syntax_diagnostic(exc: yaml.MarkedYAMLError, text: str, path: Path,
                       offset: int) -> Diagnostic:
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    hint = None
    if (exc.context or "").startswith("while scanning a quoted scalar") and exc.context_mark:
        # The scanner only notices at the end of the file; the culprit is the opening quote.
        mark = exc.context_mark
        message = "YAML syntax error: a quoted value is not closed"
        hint = "add the closing quote, or remove the opening one"
    else:
        message = f"YAML syntax error: {problem}"
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            message += f" ({exc.context} at line {_line(exc.context_mark, offset)})"
    src_lines = text.splitlines()
    if mark is not None and mark.line < len(src_lines):
        this = src_lines[mark.line]
        indent = this[: len(this) - len(this.lstrip(" \t"))]
        if "\t" in indent or "'\\t'" in problem:
            hint = "indent with spaces: YAML does not allow tabs"
        elif problem.startswith("expected ',' or"):
            hint = ("inside { } or [ ], quote a value that contains , ? : [ ] { } "
                    "(e.g. title: \"Was There an Alternative?\")")
        elif "mapping values are not allowed" in problem:
            hint = ("check this line's indentation against the line above; "
                    "quote a value that contains ': '")
    return error(YAML_SYNTAX, message, path, _line(mark, offset) if mark else offset + 1, hint)


def load_yaml(text: str, path: Path, *, line_offset: int = 0
              ) -> tuple[dict | None, LineMap, list[Diagnostic]]:
    """Parse one YAML mapping; data is None when it cannot be used at all.

    ``line_offset`` is added to every line, for a block that starts inside another file.
    """
    lines = LineMap(root=line_offset + 1)
    diags: list[Diagnostic] = []
    beyond = check_bounds(text, path, line_offset)
    if beyond is not None:
        return None, lines, [beyond]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            diags.append(error(EMPTY, f"{path.name} is empty", path, None if not line_offset
                               else line_offset + 1))
            return None, lines, diags
        lines.root = _line(node.start_mark, line_offset)
        if not isinstance(node, MappingNode):
            found = "a list" if isinstance(node, SequenceNode) else "a single value"
            diags.append(error(NOT_A_MAPPING,
                               f"{path.name} should be a mapping of keys to values, "
                               f"not {found}", path, lines.root,
                               hint="write one `key: value` per line"))
            return None, lines, diags
        _walk(node, (), lines, diags, path, line_offset, set())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        diags.append(_syntax_diagnostic(exc, text, path, line_offset))
        return None, lines, diags
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. `!!int abc`
        diags.append(error(YAML_SYNTAX, f"YAML value cannot be read: {exc}", path, lines.root))
        return None, lines, diags
    finally:
        loader.dispose()
    return data, lines, diags
