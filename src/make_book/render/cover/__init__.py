"""Covers: the EPUB's cover image, the front cover and the print wrap (spine width from
the page count and paper, the ISBN barcode); drawn by WeasyPrint from the layout's
cover templates, and kept in the build cache by content (DESIGN.md section 3)."""
