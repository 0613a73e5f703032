"""Every change make-book makes to WeasyPrint's own behaviour, in one place.

Each module here wraps or recompiles a WeasyPrint internal for the length of a render,
because WeasyPrint (70) lays out something a book cannot print as it is.
"""
