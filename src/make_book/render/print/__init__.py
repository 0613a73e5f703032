"""Print: the interior laid out by WeasyPrint in pieces, repaired, joined and finished with pikepdf; the screen PDF from the same layout."""
