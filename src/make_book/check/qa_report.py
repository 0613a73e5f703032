"""The print QA report's advice, read back from the JSON a print build writes
(docs/print-qa.md). Its blocking findings are Q0xx warnings of the build already; the
others are notes here, each at its file:line, the first few of each kind and a count."""

from __future__ import annotations

import json
from pathlib import Path

from make_book.errors import Diagnostic, warning

SHOWN = 5  # advisory findings listed per kind; the rest are counted


def advice(report: Path, root: Path) -> list[Diagnostic]:
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [warning("K031", f"the print QA report cannot be read: {exc}", root)]
    notes: list[Diagnostic] = []
    per_kind: dict[str, int] = {}
    for f in data.get("findings") or []:
        if f.get("blocking"):
            continue
        kind = f.get("kind", "?")
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if per_kind[kind] > SHOWN:
            continue
        where = f"p. {f['folio']} (PDF page {f['page']}): " if f.get("page") else ""
        path = root / f["file"] if f.get("file") else root
        notes.append(warning(f.get("code", "Q000"), where + str(f.get("message", "")), path,
                             f.get("line")))
    for kind, n in per_kind.items():
        if n > SHOWN:
            notes.append(warning("K032", f"{n - SHOWN} more print QA findings of kind {kind} "
                                 f"(see {report.name} with --keep)", root))
    return notes
