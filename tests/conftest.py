"""Shared fixtures: the repository's paths and a builder that runs the real pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
