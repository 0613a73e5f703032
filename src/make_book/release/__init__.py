"""Release: what a publisher sends to printers and retailers, for a whole catalogue.

Modules (one job each):

    spine.py      paper stocks, spine width, spine-text rule, safe distances
    barcode.py    the EAN-13 of a print ISBN (python-barcode SVG)
    covers.py     EPUB cover JPEG (checked cover-image, or generated) and print cover PDF
    prices.py     ``price:`` in book.yaml (the model BookMetadata's field uses)
    onix.py       the ONIX 3.0 record, one Product per format
    inspect.py    facts read back from the built EPUB and PDF
    gate.py       EPUBCheck, fonts, ISBNs: what a book must pass to be released
    manifest.py   manifest.json, SHA256SUMS, merging per-book CI results
    command.py    ``make-book release`` (``release()`` and the typer ``release_command``)

Diagnostic codes ``R0xx`` (release): R001-R017 covers, R020-R023 ONIX, R030-R034 the gate,
R040-R041 the command, R050-R054 manifests and collecting.
"""
