"""``make-book preview``: the book served on 127.0.0.1 while it is edited.

:mod:`session` rebuilds what a change touched (:mod:`parse_cache` keeps the other chapters'
parses), :mod:`pages` turns the EPUB renderer's documents into preview pages (rendering
again only those whose inputs changed),
:mod:`print_pages` lays out one chapter for print in the background, :mod:`server` serves
them and tells the browser to reload, :mod:`watch` follows the files, :mod:`command` ties
them together for the command line.

Codes: V001 a non-loopback --host without --allow-remote; V002 the address cannot be
bound; V003 the print pages of a chapter could not be laid out (shown in the page); V004
an internal error while rebuilding (shown in the page; the preview goes on).
"""
