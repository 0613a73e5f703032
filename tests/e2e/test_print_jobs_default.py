"""Every print build is laid out in pieces, by default on every core available
(``--jobs``, issue 15): its PDF is the same bytes whatever the number of jobs."""

from __future__ import annotations

import os

from make_book.build import build_book
from make_book.machine import default_jobs
from tests.conftest import BOOKS


def _pdf(out, jobs):
    result = build_book(BOOKS / "apparatus", ["pdf"], out, epoch=1714521600, jobs=jobs)
    assert not result.diagnostics.errors, [d.format() for d in result.diagnostics.errors]
    return next(out.glob("*/*-print.pdf")).read_bytes()


def test_default_jobs_is_the_cores_available():
    assert 1 <= default_jobs() <= (os.cpu_count() or 1)


def test_same_bytes_with_default_one_and_two_jobs(tmp_path):
    default = _pdf(tmp_path / "default", None)
    assert default == _pdf(tmp_path / "one", 1)
    assert default == _pdf(tmp_path / "two", 2)
