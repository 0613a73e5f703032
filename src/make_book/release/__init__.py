"""Release: what a publisher sends to printers and retailers, for a whole catalogue.

Modules (one job each):

    onix.py       the ONIX 3.0 record, one Product per format
    inspect.py    facts read back from the built EPUB and PDF
    gate.py       EPUBCheck, fonts, ISBNs: what a book must pass to be released
    manifest.py   manifest.json, SHA256SUMS, merging per-book CI results
    command.py    ``make-book release`` (``release()`` and the typer ``release_command``)

The covers it ships (EPUB cover, print wrap with spine and barcode) are drawn in
``render/cover/``, since the EPUB renderer draws a generated cover too; prices are read in
``config/prices.py``.

Diagnostic codes ``R0xx`` (release): R001-R017 covers, R020-R023 ONIX, R030-R034 the gate,
R040-R041 the command, R050-R054 manifests and collecting.
"""
