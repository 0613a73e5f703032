"""What a command loads before it runs: ``--version`` (the floor under every command) loads
no part of the pipeline, and make-book's version is read only when asked for (issue 15)."""

import json
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

import pytest

import make_book

VERSION_ONLY = """
import json, sys
from make_book.cli import app
try:
    app(["--version"])
except SystemExit as exc:
    assert not exc.code, exc.code
print(json.dumps(sorted(sys.modules)))
"""

# the pipeline and the libraries only a build, a check or a release needs
PIPELINE = ("make_book.build", "make_book.gate", "make_book.manuscript", "make_book.transforms",
            "make_book.render", "make_book.config", "make_book.layouts", "pydantic",
            "langcodes", "jinja2", "yaml", "markdown", "lxml", "fontTools", "PIL",
            "multiprocessing", "citeproc", "weasyprint")


def loaded_by(code: str) -> tuple[str, set[str]]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    first, _, modules = done.stdout.partition("\n")
    return first, set(json.loads(modules))


def test_version_loads_no_pipeline():
    shown, names = loaded_by(VERSION_ONLY)
    assert shown == f"make-book {make_book.__version__}"
    assert not {m for m in names if m.split(".")[0] in PIPELINE or m.startswith(PIPELINE)}


def test_importing_the_cli_reads_no_package_metadata():
    _, names = loaded_by("import json, sys\nimport make_book.cli\nprint()\n"
                         "print(json.dumps(sorted(sys.modules)))")
    assert "importlib.metadata" not in names


def test_version_is_the_installed_one():
    try:
        expected = version("make-book")
    except PackageNotFoundError:
        expected = "0.0.0+src"
    assert make_book.__version__ == expected
    from make_book import __version__
    assert __version__ == expected


def test_other_attributes_are_still_missing():
    with pytest.raises(AttributeError, match="no_such_name"):
        make_book.no_such_name  # noqa: B018
