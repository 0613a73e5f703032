"""The machine check (make_book.machine): what this machine lacks for a build, as
diagnostics about the machine (no book file), found once per run."""

from __future__ import annotations

import logging

import pytest
from weasyprint.text import ffi

from make_book import machine
from make_book.render.weasy.log import captured_weasyprint_log


@pytest.fixture(autouse=True)
def fresh_probes():
    """Each test probes anew, and leaves no made-up result cached for the next one."""
    machine._print_engine.cache_clear()
    machine._epubcheck.cache_clear()
    yield
    machine._print_engine.cache_clear()
    machine._epubcheck.cache_clear()


def test_this_machine_has_what_a_build_needs():
    # scripts/setup.sh installed Pango, HarfBuzz with its subsetter, fontconfig, ICU, Java
    assert machine.machine_problems(["print", "collation", "epubcheck"]) == []


def test_without_harfbuzz_subset_the_print_engine_warns_once(monkeypatch):
    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    [d] = machine.machine_problems(["print", "print"])
    assert (d.code, d.is_error, d.path) == ("E021", False, None)
    assert "libharfbuzz-subset0" in d.hint
    assert d.format().startswith("make-book: E021 warning: HarfBuzz's subsetting library")


def test_without_java_epubcheck_cannot_run(monkeypatch):
    monkeypatch.setattr(machine.shutil, "which", lambda name: None)
    [d] = machine.machine_problems(["epubcheck"])
    assert (d.code, d.is_error, d.path) == ("E022", True, None)
    assert d.message == "Java (java) is not installed, so EPUBCheck cannot check the EPUB"
    assert "default-jre-headless" in d.hint


def test_each_probe_runs_once_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(machine.shutil, "which", lambda name: calls.append(name))
    machine.machine_problems(["epubcheck"])
    machine.machine_problems(["epubcheck"])
    assert calls == ["java"]


def test_weasyprints_per_font_subset_message_is_left_to_e021():
    log = logging.getLogger("weasyprint")
    with captured_weasyprint_log() as records:
        log.warning('Using fontTools instead of HarfBuzz-Subset for font "%s". This will be '
                    "unsupported in future versions of WeasyPrint.", "Some Serif")
        log.warning("Ignored `foo: bar` at 3:5, unknown property.")
    assert [r.getMessage() for r in records] == [
        "Ignored `foo: bar` at 3:5, unknown property."]
