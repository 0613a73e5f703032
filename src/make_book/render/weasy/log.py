"""WeasyPrint's log records captured during a render, so they become diagnostics (never
printed past the CLI, never lost). Used by the print interior and the covers."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from make_book.machine import reported_by_machine_check
from make_book.render.weasy.reliance import Reliance

LOGGER = "weasyprint"  # the logger WeasyPrint writes to


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
    logger = logging.getLogger(LOGGER)
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


def _logs_to_its_logger() -> bool:
    # imported when checked, not with this module: the covers use it before WeasyPrint loads
    return importlib.import_module("weasyprint.logger").LOGGER.name == LOGGER


RELIES_ON = (
    Reliance(f"WeasyPrint logs its warnings to the logger named {LOGGER!r}",
             _logs_to_its_logger),
)
