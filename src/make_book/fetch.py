"""The one way a renderer may load a resource by URL: no network, nothing outside the book.

WeasyPrint (and anything else that resolves ``url()``, ``src`` or ``@font-face``) would by
default fetch ``http(s)`` and ``ftp`` URLs and read any ``file:`` path on the machine. A
build runs in CI next to release credentials, so a manuscript or a layout must not be able
to make it call out (a tracking pixel, an internal service) or read ``/etc/passwd`` into a
book. :func:`safe_url_fetcher` returns a fetcher that:

- refuses every scheme but ``file:`` and ``data:``, with a diagnostic, before any request;
- reads a ``file:`` URL only when the path, with symlinks resolved, is inside one of the
  allowed roots (the book folder and the layout chain) and is a regular file (the one
  resolver every renderer's reads go through: :func:`make_book.config.paths.read_confined`);
- refuses a ``data:`` URL longer than :data:`MAX_DATA_URL` characters (a memory bomb);
- decodes ``data:`` and reads files itself: the urllib opener WeasyPrint's base class
  builds (with its HTTP, FTP and proxy handlers) is never used.

WeasyPrint 70 takes a :class:`weasyprint.urls.URLFetcher` *instance* and requires a
:class:`~weasyprint.urls.URLFetcherResponse` from it (the dict-returning function of
WeasyPrint < 67 no longer works), so the fetcher subclasses ``URLFetcher``::

    fetcher = safe_url_fetcher([book.root, *layout_dirs], diagnostics, where=book_yaml)
    HTML(string=html, base_url=book.root.as_uri() + "/", url_fetcher=fetcher)

Each refusal adds one ``B010`` error (or the ``code`` given; once per URL) and raises
:class:`FetchRefused`, which WeasyPrint catches and logs; the build then fails on the
diagnostic.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from make_book.config.paths import MAX_FILE_BYTES, PathError, read_confined
from make_book.errors import Diagnostics

__all__ = ["MAX_DATA_URL", "MAX_FILE_BYTES", "FetchRefused", "SafeURLFetcher",
           "safe_url_fetcher"]

REFUSED = "B010"
MAX_DATA_URL = 2 * 1024 * 1024  # characters: room for an inline icon or a small font


class FetchRefused(ValueError):
    """A URL the build does not load; WeasyPrint catches it and leaves the resource out."""


class SafeURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher for ``file:`` inside ``roots`` and small ``data:`` only."""

    def __init__(self, roots: Iterable[Path], diagnostics: Diagnostics,
                 where: Path | None = None, max_data_url: int = MAX_DATA_URL,
                 code: str = REFUSED):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.code = code
        self.roots = tuple(Path(r).resolve() for r in roots)
        self.diagnostics = diagnostics
        self.where = where
        self.max_data_url = max_data_url
        self.fetched: list[Path] = []  # the files read, resolved: a cache's dependencies

    # WeasyPrint calls ``fetcher(url)``; older callers pass timeout and ssl_context too.
    def __call__(self, url: str, timeout=None, ssl_context=None, **_ignored):
        return self.fetch(url)

    def open(self, url, data=None, timeout=None):  # urllib's entry point: same rules
        return self.fetch(url if isinstance(url, str) else url.full_url)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        url = url.strip()
        scheme = urlsplit(url).scheme.lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            return self._file(url)
        shown = url if len(url) <= 80 else url[:79] + "…"
        return self._refuse(f"refused to fetch {shown}: a build never uses the network",
                            url, "put the file in the book folder and use a relative path")

    # ------------------------------------------------------------------ schemes
    def _data(self, url: str) -> URLFetcherResponse:
        if len(url) > self.max_data_url:
            return self._refuse(f"refused a data: URL of {len(url):,} characters (the limit "
                                f"is {self.max_data_url:,})", url[:64],
                                "put the resource in a file in the book folder")
        header, comma, payload = url[5:].partition(",")
        if not comma:
            return self._refuse("refused a malformed data: URL (no comma)", url[:64], None)
        params = header.split(";")
        is_base64 = params[-1].strip().lower() == "base64"
        if is_base64:
            params = params[:-1]
        media_type = params[0].strip().lower() or "text/plain"
        try:
            body = (base64.b64decode(unquote(payload), validate=False) if is_base64
                    else unquote_to_bytes(payload))
        except (binascii.Error, ValueError):
            return self._refuse("refused a data: URL whose base64 cannot be decoded",
                                url[:64], None)
        headers = {"Content-Type": media_type}
        for param in params[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                headers["Content-Type"] = f"{media_type}; charset={value.strip()}"
        return URLFetcherResponse(url, body, headers)

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return self._refuse(f"refused {url}: a file on another host", url, None)
        path = Path(url2pathname(unquote(parts.path)))
        resolved = read_confined(path, self.roots, limit=MAX_FILE_BYTES)
        if isinstance(resolved, PathError):
            if resolved.reason == "missing":
                raise FetchRefused(f"not a file: {path}")  # WeasyPrint reports it missing
            if resolved.reason == "escape":
                return self._refuse(f"refused to read {path}: outside the book and layout "
                                    "folders", url, resolved.hint)
            return self._refuse(f"refused to read {resolved.message}", url, resolved.hint)
        media_type = mimetypes.guess_type(resolved.path.name)[0] or "application/octet-stream"
        self.fetched.append(resolved.path)
        # the response keeps the URL as given: WeasyPrint resolves relative URLs against it
        return URLFetcherResponse(url.split("?")[0].split("#")[0], resolved.data,
                                  {"Content-Type": media_type})

    def _refuse(self, message: str, url: str, hint: str | None):
        self.diagnostics.error(self.code, message, self.where, hint=hint)
        raise FetchRefused(message)


def safe_url_fetcher(allowed_roots: Iterable[Path], diagnostics: Diagnostics, *,
                     where: Path | None = None,
                     max_data_url: int = MAX_DATA_URL, code: str = REFUSED) -> SafeURLFetcher:
    """A fetcher for WeasyPrint's ``url_fetcher=`` (see the module docstring); ``code`` is
    the diagnostic code of a refusal (a renderer may use its own, e.g. ``P006``)."""
    return SafeURLFetcher(allowed_roots, diagnostics, where, max_data_url, code)
