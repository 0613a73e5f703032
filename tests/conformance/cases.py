"""The conformance cases: ``cases/<group>.yaml``, one file per Pandoc extension group."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).resolve().parent / "cases"
KEYS = frozenset({"name", "markdown", "xfail"})


@dataclass(frozen=True)
class Case:
    group: str
    name: str
    markdown: str
    xfail: str | None = None

    @property
    def id(self) -> str:
        return f"{self.group}/{self.name}"


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    """Every case, in file then document order; a malformed file fails loudly, naming it."""
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(entries, list):
            raise ValueError(f"{path.name}: expected a list of cases")
        seen: set[str] = set()
        for entry in entries:
            if not isinstance(entry, dict) or not {"name", "markdown"} <= entry.keys():
                raise ValueError(f"{path.name}: each case needs name and markdown: {entry!r}")
            if unknown := entry.keys() - KEYS:
                raise ValueError(f"{path.name}: {entry['name']}: unknown keys {sorted(unknown)}")
            if entry["name"] in seen:
                raise ValueError(f"{path.name}: case name {entry['name']!r} is used twice")
            seen.add(entry["name"])
            cases.append(Case(path.stem, str(entry["name"]), str(entry["markdown"]),
                              entry.get("xfail")))
    return cases
