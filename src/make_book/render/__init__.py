"""The renderers: a transformed book and its layout in, an artifact out.

- ``epub/``: the EPUB 3 package (ebooklib), its XHTML, navigation and index;
  ``retail/`` the Kobo and Kindle changes to it; ``web/`` the web edition built on it.
- ``print/``: the print interior laid out by WeasyPrint in pieces, repaired, joined and
  finished with pikepdf, and the screen PDF from the same layout.
- ``cover/``: generated and print covers; ``weasy/``: every change to WeasyPrint's own
  behaviour, with the check that each still applies.
- the modules here are what both sides share: the serialiser of a converted tree, the
  lists of figures, credits, glyph coverage, active-content checks, the index's view and
  its page numbers. What each format makes of a fragment's tree is a list of steps in
  ``transforms`` (``transforms.PIPELINE``, ``transforms.for_format``).
"""
