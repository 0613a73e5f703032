"""Shared fixtures: the repository's paths and a builder that runs the real pipeline."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so a red CI run means a change broke
# something, not that the dice found an old bug; MAKE_BOOK_FUZZ_HUNT=1 draws new ones (and
# remembers failures in .hypothesis/) to hunt for bugs by hand.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("hunt", derandomize=False)
settings.load_profile("hunt" if os.environ.get("MAKE_BOOK_FUZZ_HUNT") else "repeatable")

ROOT = Path(__file__).resolve().parents[1]
MANUSCRIPT = ROOT / "manuscript"
BOOKS = Path(__file__).resolve().parent / "books"


@pytest.fixture
def book_copy(tmp_path):
    """Copy a test book (tests/books/<name>) or a sample (manuscript/<name>) into tmp_path."""
    def copy(name: str) -> Path:
        source = BOOKS / name if (BOOKS / name).is_dir() else MANUSCRIPT / name
        target = tmp_path / "books" / name
        shutil.copytree(source, target)
        return target
    return copy
