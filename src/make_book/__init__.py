"""make-book: a manuscript tree in, a validated EPUB 3 and a print-ready PDF out.

``__version__`` is read from the installed package's metadata when first asked for (PEP
562): importing ``importlib.metadata`` costs every command tens of milliseconds, and most
never print or key anything on the version.
"""

from functools import cache


@cache
def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("make-book")
    except PackageNotFoundError:  # running from a source tree without an install
        return "0.0.0+src"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
