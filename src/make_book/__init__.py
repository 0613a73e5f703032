"""make-book: a manuscript tree in, a validated EPUB 3 and a print-ready PDF out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("make-book")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+src"
