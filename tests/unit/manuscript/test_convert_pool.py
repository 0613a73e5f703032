"""The convert pool: a worker's result is used only for the very text the loader read;
refusals come back as the loader's own errors; one job forks nothing."""

from __future__ import annotations

import os

from lxml import etree

from make_book.errors import Diagnostics
from make_book.manuscript import convert_pool
from make_book.manuscript.parsed_file import parse_file
from make_book.manuscript.source_text import LineFinder
from make_book.manuscript.conversion import convert_body

CHAPTER = "# One\n\nSome *text* and a note.[^a]\n\n[^a]: The note.\n"


def _files(tmp_path, n=3):
    paths = []
    for i in range(n):
        path = tmp_path / f"c{i}.md"
        path.write_text(CHAPTER.replace("One", f"Chapter {i}"))
        paths.append(path)
    return paths


def test_one_job_or_one_file_is_no_pool(tmp_path):
    paths = _files(tmp_path)
    with convert_pool.converter(paths, None, None, 1) as converter:
        assert converter is None
    with convert_pool.converter(paths[:1], None, None, 4) as converter:
        assert converter is None


def test_the_pool_gives_what_the_loader_would(tmp_path):
    paths = _files(tmp_path)
    serial = [parse_file(p, p.name, Diagnostics()) for p in paths]
    with convert_pool.converter(paths, None, None, 2) as converter:
        assert isinstance(converter, convert_pool.ConvertPool)
        pooled = [parse_file(p, p.name, Diagnostics(), converter=converter) for p in paths]
        assert converter.used == len(paths) - 1  # the first one here, then the workers
    assert ([etree.tostring(p.section) for p in pooled]
            == [etree.tostring(p.section) for p in serial])


def test_a_text_the_worker_did_not_read_is_converted_here(tmp_path):
    paths = _files(tmp_path)
    with convert_pool.converter(paths, None, None, 2) as converter:
        assert parse_file(paths[0], "c0.md", Diagnostics(), converter=converter)
        body = "# Changed\n\nNot what the file held.\n"
        done = converter(body, 1, None, paths[1], LineFinder(body, 1))
        assert converter.used == 0
    expected = convert_body(body, 1, None, paths[1], LineFinder(body, 1))
    assert etree.tostring(done.section) == etree.tostring(expected.section)


def test_a_refused_chapter_is_reported_as_in_the_loader(tmp_path):
    paths = _files(tmp_path)
    paths[1].write_text("# T\n\n" + "".join("    " * i + "- x\n" for i in range(200)))
    serial = Diagnostics()
    assert parse_file(paths[1], "c1.md", serial) is None
    pooled = Diagnostics()
    with convert_pool.converter(paths, None, None, 2) as converter:
        assert parse_file(paths[0], "c0.md", Diagnostics(), converter=converter) is not None
        assert parse_file(paths[1], "c1.md", pooled, converter=converter) is None
        assert converter.used == 1  # c1: the first chapter is converted here
    assert [d.format() for d in pooled] == [d.format() for d in serial]
    assert [d.code for d in serial] == ["C005"]


def test_a_worker_that_dies_leaves_the_conversion_to_the_loader(tmp_path, monkeypatch):
    paths = _files(tmp_path)
    serial = [parse_file(p, p.name, Diagnostics()) for p in paths]
    monkeypatch.setattr(convert_pool, "read_text", lambda *args: os._exit(1))  # in workers
    with convert_pool.converter(paths, None, None, 2) as converter:
        pooled = [parse_file(p, p.name, Diagnostics(), converter=converter) for p in paths]
        assert converter.used == 0
    assert ([etree.tostring(p.section) for p in pooled]
            == [etree.tostring(p.section) for p in serial])


def test_one_chapter_to_convert_forks_nothing(tmp_path):
    paths = _files(tmp_path)
    with convert_pool.converter(paths, None, None, 2) as converter:
        assert parse_file(paths[1], "c1.md", Diagnostics(), converter=converter)
        assert converter.executor is None
