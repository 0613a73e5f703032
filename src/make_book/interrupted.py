"""What make-book says when Ctrl-C ends it, at start-up (``entry``) or during a command
(``cli``): a module of its own that imports nothing, so that ``entry`` can take it before
its ``try`` without widening the moment a Ctrl-C would end in a traceback, and ``cli`` can
take it without importing ``entry``, which imports ``cli``."""

INTERRUPTED = "make-book: interrupted; earlier artifacts are untouched"
