"""WeasyPrint's log records captured during a render, so they become diagnostics (never
printed past the CLI, never lost). Used by the print interior and the covers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from make_book.machine import reported_by_machine_check


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        if not reported_by_machine_check(record):  # said once per run, not per book
            self.records.append(record)


@contextmanager
def captured_weasyprint_log() -> Iterator[list[logging.LogRecord]]:
    """WeasyPrint's warnings and errors during the block, kept instead of printed."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate
