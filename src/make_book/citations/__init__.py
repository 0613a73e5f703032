"""Citations ``[@key, p. 33]`` resolved against the book's bibliography (issue 17).

Pandoc's ``--citeproc`` is the reference: :mod:`syntax` reads what the author wrote,
:mod:`references` the bibliography files, :mod:`styles` the CSL style, :mod:`processor`
renders with citeproc-py (a maintained CSL processor, not hand-written formatting), and
:mod:`make_book.transforms.citations` puts the result into the book.
"""
