"""The ONIX 3.0 code lists make-book maps its own values to: contributor roles (list 17 from
MARC relators), product forms (list 150/175), accessibility features (list 196 from the
OPF's schema.org claims). Split from :mod:`make_book.release.onix`: data, not writing.
"""

from __future__ import annotations

# MARC relator (book.yaml) -> ONIX code list 17.
ONIX_ROLES = {
    "aut": "A01",  # By (author)
    "trl": "B06",  # Translated by
    "edt": "B01",  # Edited by
    "aui": "A24",  # Introduction by
    "aft": "A19",  # Afterword by
    "ill": "A12",  # Illustrated by
    "pht": "A13",  # Photographs by
    "ctb": "A32",  # Contributions by
    "com": "C01",  # Compiled by
    "cmm": "A21",  # Commentaries by
    "ann": "A20",  # Notes by
    "adp": "B05",  # Adapted by
    "red": "B01",  # Edited by (redaktor)
    "nrt": "E03",  # Narrator
}  # "pbl" (publisher) is no contributor: it is the Publisher

PRODUCT_FORMS = {"paperback": ("BC", None), "hardcover": ("BB", None), "epub": ("ED", "E101"),
                 "pdf": ("ED", "E107")}
PRINT_FORMATS = ("paperback", "hardcover")
E_FORMATS = ("epub", "pdf")
PDF_FEATURES = ("05", "11")  # code list 196: PDF/UA; table of contents navigation (bookmarks)

# schema.org accessibilityFeature (the OPF's claims) -> ONIX code list 196
A11Y_FEATURES = {"tableOfContents": "11", "readingOrder": "13", "alternativeText": "14",
                 "printPageNumbers": "19"}
