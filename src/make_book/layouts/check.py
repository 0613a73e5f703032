"""What a layout can be checked for before anything is laid out, so its faults are reported
with the book's in one run instead of surfacing (or crashing) halfway through a render.

- ``E030`` a template of the chain does not compile (a Jinja syntax error), at its line
- ``L020``/``L003`` a stylesheet listed that is outside the book and layout folders, or
  missing
- ``E010`` an EPUB stylesheet loads a resource a reader may not fetch (remote, or a
  ``data:`` URL that is no font or raster image; see layouts/css_urls.py); the EPUB
  renderer reports the same when called on its own
- ``E010`` an EPUB stylesheet loads a remote resource (the EPUB renderer reports the same
  when called on its own)

(layout.yaml itself, ``print:`` settings included, is checked when it is read:
layouts/manifest.py.)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import jinja2

from make_book.cache import code_version, content_key, versions
from make_book.errors import Diagnostics, MakeBookError
from make_book.layouts.chain import Layout
from make_book.layouts.css_urls import report_refused

TEMPLATE_SYNTAX = "E030"


def check_layout(layout: Layout, formats: Iterable[str], diagnostics: Diagnostics) -> None:
    check_templates(layout, diagnostics)
    formats = list(formats)
    resolved = set()
    for target in ("epub", "print", "web"):  # listed files resolve inside the book and layouts
        if ("pdf" if target == "print" else target) in formats:
            try:
                layout.stylesheets(target)
                resolved.add(target)
            except MakeBookError as exc:
                diagnostics.extend(exc.diagnostics)
    if "epub" in resolved:
        check_epub_stylesheets(layout, diagnostics)


def check_templates(layout: Layout, diagnostics: Diagnostics) -> None:
    """Compile every template the chain resolves (a book's override hides the house
    style's file of the same name, so only the one in use is compiled). With the layout's
    build cache, a template whose very source compiled before is not compiled again:
    compiling the house style's 33 templates is a sixth of an EPUB's warm rebuild, and
    most of them are print's (a render compiles those it uses). Only the verdict is
    kept, never Jinja's compiled code: a cache restored in CI must not run code."""
    env, cache = layout.env, layout.cache
    for name in env.list_templates():
        key = None
        if cache is not None and env.loader is not None:
            source, filename, _ = env.loader.get_source(env, name)
            key = content_key("template-compiles", code_version(), versions("jinja2"), name,
                              filename or "", source)
            if cache.get_record("template-compiles", key) is not None:
                continue
        try:
            env.get_template(name)
            if key is not None:
                cache.put_record("template-compiles", key, {})
        except jinja2.TemplateSyntaxError as exc:
            where = Path(exc.filename) if exc.filename else None
            diagnostics.error(TEMPLATE_SYNTAX, f"template {name} does not compile: "
                              f"{exc.message}", where, exc.lineno,
                              hint="see https://jinja.palletsprojects.com/templates/")


def check_epub_stylesheets(layout: Layout, diagnostics: Diagnostics) -> None:
    for path in layout.stylesheets("epub"):
        try:
            text = layout.read_text(path, "stylesheet")
        except MakeBookError as exc:  # refused or not UTF-8: said once, with the file
            diagnostics.extend(exc.diagnostics)
            continue
        report_refused(text, path, diagnostics)
