"""Paper stocks and the spine: how thick the book block of a print-on-demand paperback is.

``print.paper`` in book.yaml names a stock from :data:`STOCKS`, or gives the thickness of one
page directly: ``0.0023`` or ``0.0023in`` (inches per page), ``0.058mm`` (millimetres per
page) or ``444ppi`` (pages per inch, the figure paper merchants quote). Without ``paper``
the book is printed on ``white``, the default of both KDP and IngramSpark.

Values, in inches per *page* (a leaf is two pages):

- ``white`` (KDP black and white on white; IngramSpark 50 lb white): 0.002252, i.e. 444
  pages per inch. KDP's "Paperback cover calculator and templates" help page gives
  "page count x 0.002252" for white paper; 444 PPI is the figure of the 60# white stock in
  the CreateSpace manufacturing specification that KDP Print inherited.
- ``cream`` (KDP black and white on cream; IngramSpark 50 lb creme): 0.0025, i.e. 400 PPI.
- ``standard-color`` (KDP standard colour ink on white): 0.002252, the white stock.
- ``color`` / ``premium-color`` (KDP premium colour; IngramSpark 70 lb white colour): 0.002347,
  i.e. 426 PPI.

Most pages: KDP's "Print options" help page binds a paperback of at most 828 pages on white
paper (black ink or premium colour), 776 on cream (thicker) and 600 in standard colour; a
few large trims allow fewer. Above that a book is split into volumes or goes to a printer
that binds thicker books (IngramSpark, offset): :attr:`Stock.max_pages` says so at build time.

These are the calculators' nominal figures; a printer's own template (KDP and IngramSpark
both generate one for the final page count) is the authority, and a house with other stock
gives its thickness as a number.

Odd page counts: a book is bound in leaves, so the spine is computed for the page count
rounded up to even (both printers add a blank last page to an odd interior).

Spine text: printed only when the spine is at least :data:`SPINE_TEXT_MIN_IN` (0.25 in)
wide. KDP allows spine text from 79 pages (0.178 in on white paper), but with its 0.0625 in
margin on each side that leaves type under 4 pt; 0.25 in leaves 0.125 in (9 pt) for the
line, the least a production manager would put on a spine. On white paper that is 112 pages
and more, on cream 100 and more.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

PT_PER_IN = 72.0
MM_PER_IN = 25.4

SPINE_TEXT_MIN_IN = 0.25  # see the module docstring
SPINE_FOLD_SAFE_IN = 0.0625  # text this far from each spine fold (KDP, IngramSpark: 1/16 in)
TRIM_SAFE_IN = 0.25  # text this far from the trim (IngramSpark's File Creation Guide)
MIN_PAGES = 24  # the shortest perfect-bound book KDP and IngramSpark print
DEFAULT_STOCK = "white"


@dataclass(frozen=True)
class Stock:
    name: str
    inches_per_page: float
    description: str
    max_pages: int  # the most KDP binds in a paperback on this stock (module docstring)


STOCKS: dict[str, Stock] = {s.name: s for s in (
    Stock("white", 0.002252, "black and white on white paper (KDP; IngramSpark 50 lb white), "
                             "444 pages per inch", 828),
    Stock("cream", 0.0025, "black and white on cream paper (KDP; IngramSpark 50 lb creme), "
                           "400 pages per inch", 776),
    Stock("standard-color", 0.002252, "KDP standard colour ink on white paper", 600),
    Stock("premium-color", 0.002347, "KDP premium colour; IngramSpark 70 lb white colour, "
                                     "426 pages per inch", 828),
)}
ALIASES = {"color": "premium-color", "colour": "premium-color", "creme": "cream",
           "kdp-white": "white", "kdp-cream": "cream", "ingramspark-white": "white",
           "ingramspark-cream": "cream", "ingramspark-creme": "cream",
           "ingramspark-color": "premium-color", "kdp-premium-color": "premium-color",
           "kdp-standard-color": "standard-color", "standard-colour": "standard-color",
           "premium-colour": "premium-color"}

_NUMBER = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(in|mm|ppi)?\s*", re.I)


class PaperError(ValueError):
    """``print.paper`` is neither a known stock nor a thickness; the message says which."""


@dataclass(frozen=True)
class Paper:
    name: str  # the stock's name, or the value as written for a number
    inches_per_page: float
    description: str
    max_pages: int | None = None  # a stock's KDP limit; None for a thickness as given


def paper_for(value: str | None) -> Paper:
    """The paper ``print.paper`` names; raises :class:`PaperError` for an unknown one."""
    if value is None or not str(value).strip():
        stock = STOCKS[DEFAULT_STOCK]
        return Paper(stock.name, stock.inches_per_page, stock.description + " (the default)",
                     stock.max_pages)
    text = str(value).strip()
    key = ALIASES.get(text.lower(), text.lower())
    if key in STOCKS:
        stock = STOCKS[key]
        return Paper(stock.name, stock.inches_per_page, stock.description, stock.max_pages)
    m = _NUMBER.fullmatch(text)
    if m:
        number, unit = float(m[1]), (m[2] or "in").lower()
        if number > 0:
            per_page = {"in": number, "mm": number / MM_PER_IN,
                        "ppi": 1 / number if number else 0}[unit]
            if 0.001 <= per_page <= 0.01:  # 100 to 1000 pages per inch: any book paper
                return Paper(text, per_page, f"{per_page:.6f} in per page, as given")
            raise PaperError(f"'{text}' is {per_page:.6f} in per page, outside any book "
                             "paper (0.001 to 0.01 in per page)")
    raise PaperError(f"'{text}' is not a paper stock or a thickness per page")


def paper_hint() -> str:
    return ("a stock (" + ", ".join(STOCKS) + ") or a thickness per page: 0.0023in, "
            "0.058mm or 444ppi")


def bound_pages(pages: int) -> int:
    """The page count a printer binds: odd counts get a blank last page."""
    return pages + (pages % 2)


def spine_width_in(pages: int, paper: Paper) -> float:
    """Spine width in inches, to 1/10000 in (the precision KDP's templates use)."""
    if pages < 1:
        raise ValueError(f"a book has at least one page, not {pages}")
    return round(bound_pages(pages) * paper.inches_per_page, 4)


def spine_has_text(spine_in: float) -> bool:
    return spine_in + 1e-9 >= SPINE_TEXT_MIN_IN


def pages_for_spine_text(paper: Paper) -> int:
    """The least (even) page count whose spine carries text on this paper."""
    pages = math.ceil(SPINE_TEXT_MIN_IN / paper.inches_per_page - 1e-9)
    while not spine_has_text(spine_width_in(pages, paper)):
        pages += 1
    return bound_pages(pages)
