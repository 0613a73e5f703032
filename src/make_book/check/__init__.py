"""`make-book check`: every finding about a book, traced back to the manuscript.

- manuscript.py  the gate without typesetting (load, layout, transforms, glyphs, alt
                 text): what `check` runs, and what `build` runs before it renders, so a
                 book that fails one fails the other
- sources.py     an EPUB-internal file and element -> the chapter's .md file and line
- epubcheck.py   EPUBCheck's messages, mapped
- ace.py         Ace by DAISY: found (tools/ace/ or PATH), run on Debian's Chromium, mapped
- qa_report.py   the print QA report's advice, read from its JSON
- full.py        `--full`: build into a temporary folder, then the three above
- command.py     the command: every book, every finding at once, the exit status

Codes: K001 EPUBCheck cannot run; K002 Ace cannot run; K003 an image without alt text;
K010 an EPUBCheck error (or fatal); K011 an EPUBCheck warning; K020 an Ace critical or
serious violation; K021 an Ace moderate or minor violation (a note); K030 the EPUB and PDF
were not checked because the book has errors (a note); K031 the print QA report cannot be
read; K032 more print QA advice of one kind than is listed (a note); K039 an internal error
while checking a book (a bug in make-book, reported instead of a traceback).
"""
