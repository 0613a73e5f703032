"""Imports run one way, down the layers of DESIGN.md section 3 (cli -> build -> manuscript,
transforms, render -> model, config, layouts -> errors): a module may import its own
package and anything below it, never above. An import inside a function counts the same,
so a cycle cannot hide there.

Every package has its own rank, so two packages of one layer cannot import each other
either: the order below is the whole story of what may use what.
"""

from __future__ import annotations

import ast
from pathlib import Path

import make_book

SRC = Path(make_book.__file__).parent

# top to bottom; a module belongs to the longest name here that its name starts with
ORDER = [
    "make_book.__main__",
    "make_book.entry",  # the bootstrap: imports cli inside its try (Ctrl-C during start-up)
    "make_book.cli",
    "make_book.preview",  # commands: each builds (or checks) books through build
    "make_book.check",
    "make_book.release",
    "make_book.importer",
    "make_book.changes",  # CHANGES.md from the book's git history (release copies it)
    "make_book.pagediff",  # what changed between two print PDFs
    "make_book.scaffold",
    "make_book.terminal",
    "make_book.formats",  # which editions a book asks for that the build renders
    "make_book.build",  # one book: gate, then every renderer it asks for
    "make_book.gate",  # load, check and transform, without typesetting
    "make_book.render",
    "make_book.transforms",
    "make_book.citations",
    "make_book.manuscript",  # the tree on disk read into the model
    "make_book.fetch",
    "make_book.model",
    "make_book.layouts",
    "make_book.config",
    "make_book.cache",
    "make_book.catalogue",
    "make_book.machine",
    "make_book.library_lookup",  # how the machine check loads WeasyPrint's libraries
    "make_book.external",
    "make_book.output",
    "make_book.plain_files",
    "make_book.markup",  # Pandoc Markdown to XHTML: chapters and book.yaml values alike
    "make_book.xhtml",
    "make_book.numerals",
    "make_book.kinds",
    "make_book.editions",  # the registry of formats: names (book.yaml validates against it)
    "make_book.errors",
    "make_book.stack_room",  # room on CPython's frame stack (imports nothing of ours)
    "make_book.interrupted",  # the Ctrl-C message: imports nothing (entry takes it first)
    "make_book",  # __init__: the version
]

# (importer, imported): why the import runs up. Keep this list empty but for reasons
# that are not cycles in disguise.
ALLOWED: dict[tuple[str, str], str] = {}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _exists(module: str) -> bool:
    path = SRC.parent.joinpath(*module.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def _unit(module: str) -> str:
    return max((u for u in ORDER if module == u or module.startswith(u + ".")), key=len)


def _imports(path: Path, module: str):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the importing package
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            # `from make_book import transforms` imports the package transforms
            names = [f"{base}.{a.name}" if _exists(f"{base}.{a.name}") else base
                     for a in node.names]
        else:
            continue
        for name in names:
            if name == "make_book" or name.startswith("make_book."):
                yield node.lineno, name


def test_every_package_has_a_rank():
    ranked = set(ORDER)
    for path in SRC.rglob("*.py"):
        module = _module(path)
        top = ".".join(module.split(".")[:2])
        assert top in ranked or module == "make_book", f"{module}: give its package a rank"


def test_imports_run_down_the_layers():
    rank = {u: i for i, u in enumerate(ORDER)}
    upward: dict[str, None] = {}  # in order, once each
    for path in sorted(SRC.rglob("*.py")):
        module = _module(path)
        here = _unit(module)
        for line, name in _imports(path, module):
            there = _unit(name)
            if there == here or rank[there] > rank[here]:
                continue
            if (here, there) in ALLOWED:
                continue
            upward[f"{path.relative_to(SRC.parent)}:{line}: {here} imports {name}"] = None
    assert not upward, "imports running up the layers:\n" + "\n".join(upward)


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One loop of imports in ``graph`` (module -> the modules it imports), or []."""
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for name in sorted(graph.get(module, ())):
            if state.get(name) == 1:
                return path[path.index(name):] + [name]
            if name not in state and (found := visit(name)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return []


def test_no_two_modules_import_each_other():
    """Within a package too (the layers allow any import there): a loop of imports,
    even one under TYPE_CHECKING, means a value sits in the wrong module."""
    modules = {_module(p): p for p in SRC.rglob("*.py")}
    graph = {m: {name for _, name in _imports(p, m) if name in modules and name != m}
             for m, p in modules.items()}
    assert _cycle(graph) == []


def test_a_loop_of_imports_is_found():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []
