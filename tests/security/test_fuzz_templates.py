"""Property test (issue 13): generated template expressions, built from the names a template
sees and the attribute chains, calls and filters known from sandbox escapes, rendered in
the layout's sandbox with the EPUB renderer's real context. Each one renders or is a
``L021`` diagnostic, never another exception, and no output holds the environment's
secret, a file's secret or a path of the machine."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from make_book.errors import Diagnostics, MakeBookError
from make_book.layouts import load_layout
from make_book.manuscript.book import load_book
from make_book.render.epub.renderer import EpubRenderer
from tests.security.bookcase import write_book

EXAMPLES = int(os.environ.get("MAKE_BOOK_FUZZ_EXAMPLES", "150"))
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target] + (
    [Phase.shrink] if os.environ.get("MAKE_BOOK_FUZZ_SHRINK") else [])
SECRET = "MB-FUZZ-SECRET-0c4e"

ROOTS = st.sampled_from([
    "book", "meta", "chapter", "strings", "body", "notes", "cycler", "joiner", "lipsum",
    "namespace", "range", "dict", "self", "loop", "caller", "varargs", "config", "os",
    "''", "[]", "{}", "()", "1", "book.chapters", "meta.title", "chapter.images"])
ATTRIBUTES = st.sampled_from([
    "root", "source", "rel", "title", "html", "kind", "info", "epub_type", "chapters",
    "items", "images", "cover", "meta", "layout_dirs", "anchors", "notes", "headings",
    "__class__", "__mro__", "__subclasses__", "__globals__", "__init__", "__dict__",
    "__builtins__", "__self__", "__func__", "__code__", "__reduce__", "func_globals",
    "gi_frame", "f_globals", "mro", "read_text", "read_bytes", "open", "resolve", "parent",
    "parents", "joinpath", "evolve", "content", "model_dump", "model_fields",
    "model_config", "model_copy", "copy", "environ", "system", "popen", "format",
    "format_map", "keys", "values", "get", "pop", "update", "append", "clear", "join",
    "upper", "split", "_TemplateReference__context", "_Environment", "environment",
    "eval_ctx", "parent", "vars", "exported_vars", "globals", "loader", "searchpath",
    "filters", "tests", "cycle", "next", "reset", "current"])
ARGUMENTS = st.sampled_from([
    "", "1", "'x'", "'../../../secret.txt'", "'/etc/hostname'", "'os'", "'environ'",
    "'{0.__class__}'", "'%s'", "book", "meta", "0, 1"])
FILTERS = st.sampled_from([
    "", "|string", "|list", "|first", "|attr('root')", "|attr('__class__')",
    "|map(attribute='source')|list", "|selectattr('source')|list", "|format(1)",
    "|join(',')", "|tojson", "|safe", "|e", "|length", "|dictsort", "|items",
    "|map('attr', '__globals__')|list"])


@st.composite
def expressions(draw) -> str:
    text = draw(ROOTS)
    for _ in range(draw(st.integers(0, 5))):
        step = draw(st.sampled_from(["attr", "item", "call"]))
        if step == "attr":
            text += "." + draw(ATTRIBUTES)
        elif step == "item":
            text += f"[{draw(st.sampled_from(['0', chr(39) + draw(ATTRIBUTES) + chr(39)]))}]"
        else:
            text += f"({draw(ARGUMENTS)})"
    return text + draw(FILTERS)


@st.composite
def templates(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        expr = draw(expressions())
        parts.append(draw(st.sampled_from([
            "{{{{ {} }}}}", "{{% set x = {} %}}{{{{ x }}}}",
            ("{{% for x in {} %}}{{{{ x }}}}{{% endfor %}}"), "{{% if {} %}}y{{% endif %}}"])
                     ).format(expr))
    return "".join(parts)


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz-templates")
    (tmp / "secret.txt").write_text(SECRET)
    root = write_book(tmp / "book", {"chapters/01-one.md": "# One\n\nText.[^n]\n\n"
                                                             "[^n]: A note.\n"})
    diagnostics = Diagnostics()
    book = load_book(root, diagnostics)
    layout = load_layout(root, "default")
    return EpubRenderer(book, layout, datetime(2024, 1, 1, tzinfo=UTC), diagnostics)


@settings(max_examples=EXAMPLES, deadline=None, phases=PHASES, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@pytest.mark.claim("S19", "S20")
@given(source=templates())
def test_generated_templates_render_data_or_fail_cleanly(renderer, source, monkeypatch):
    monkeypatch.setenv("MB_SECRET", SECRET)
    chapter = renderer.book.chapters[0]
    template = renderer.env.from_string(source)
    context = {"lang": "en", "doc_title": "One", "body_type": None,
               "strings": renderer.strings, "meta": renderer.book.meta, "book": renderer.book,
               "chapter": chapter, "body": "<p>Text.</p>",
               "notes": [{"id": "n1", "html": "A note."}]}
    try:
        output = template.render(**context)
    except MakeBookError as exc:
        assert [d.code for d in exc.diagnostics] == ["L021"], (source, exc.diagnostics)
        return
    assert SECRET not in output, source
    root = str(Path(renderer.book.root).resolve())
    assert root not in output and "/etc/" not in output and "PosixPath" not in output, \
        (source, output[:300])
