"""The book's bibliography files, read into one citeproc-py source.

Three formats, as Pandoc's ``--bibliography`` reads them, told apart by the file's
extension: CSL JSON (``.json``), CSL YAML (``.yaml``/``.yml``: the same records in YAML,
a list or Pandoc's ``references:`` mapping) and BibTeX (``.bib``, through citeproc-py's own
reader: it maps BibTeX's entry types and fields to CSL and decodes LaTeX accents, which
bibtexparser would leave to hand-written mapping code; its weaknesses: no line numbers in
its errors, ``{\"U}ber`` mis-cased in titles, ``\"{U}`` not read). Every problem names the
file, with the line where the parser knows it.

Codes: M070 a bibliography file cannot be read or parsed; M071 a record is unusable
(no ``id``, a field of the wrong shape); M072 a key is defined twice.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, ClassVar

import yaml
from citeproc import DATES, NAMES, VARIABLES
from citeproc.source import BibliographySource
from citeproc.source.bibtex import BibTeX
from citeproc.source.json import CiteProcJSON
from citeproc.types import CHAPTER, PAPER_CONFERENCE

from make_book import plain_files
from make_book.errors import Diagnostics

MAX_BIBLIOGRAPHY_BYTES = 64 * 1024 * 1024
_DATE_RE = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_KNOWN = {v.replace("_", "-") for v in (*VARIABLES, *NAMES, *DATES)} | {"id", "type"}


class _BibTeX(BibTeX):
    """citeproc-py's reader with BibTeX's ``@incollection`` read as a chapter in a book
    (its table makes it a journal article) and ``@inproceedings`` as a conference paper."""

    types: ClassVar[dict[str, str]] = {**BibTeX.types, "incollection": CHAPTER,
                                       "inproceedings": PAPER_CONFERENCE}


class Source(BibliographySource):
    """Every record of every file, by key (lower case, as citeproc-py looks keys up)."""


def _date(value: Any) -> Any:
    """Pandoc accepts ``issued: 1999`` and ``issued: 1999-05-01`` (EDTF); citeproc-py only
    ``date-parts``: the short forms are turned into them."""
    if isinstance(value, dt.date):
        return {"date-parts": [[value.year, value.month, value.day]]}
    if isinstance(value, int):
        return {"date-parts": [[value]]}
    if isinstance(value, str):
        parts = []
        for piece in value.split("/")[:2]:
            m = _DATE_RE.match(piece.strip())
            if m is None:
                return {"literal": value}
            parts.append([int(g) for g in m.groups() if g])
        return {"date-parts": parts}
    if isinstance(value, dict) and "date-parts" in value:
        return {**value, "date-parts": [[int(p) for p in parts] for parts in value["date-parts"]]}
    return value


def _record(entry: Any) -> dict[str, Any] | str:
    """A CSL record citeproc-py accepts, or why it is unusable."""
    if not isinstance(entry, dict):
        return "a record must be a mapping of CSL fields"
    if "id" not in entry or not str(entry["id"]).strip():
        return "a record has no id"
    record: dict[str, Any] = {}
    for key, value in entry.items():
        if key not in _KNOWN:
            continue  # Pandoc too ignores fields CSL does not define
        if key.replace("-", "_") in DATES:
            value = _date(value)
        elif key.replace("-", "_") in NAMES:
            if not isinstance(value, list) or not all(isinstance(n, dict) for n in value):
                return f"{entry['id']}: {key} must be a list of names ({{family, given}})"
            value = [{k: str(v) for k, v in n.items() if k in (
                "family", "given", "literal", "dropping-particle", "non-dropping-particle",
                "suffix")} for n in value]
        elif key not in ("id", "type") and isinstance(value, (dict, list)):
            return f"{entry['id']}: {key} must be text"
        record[key] = value
    record.setdefault("type", "book")
    return record


def _csl_records(data: Any) -> list[Any] | None:
    if isinstance(data, dict) and "references" in data:
        data = data["references"]
    return data if isinstance(data, list) else None


def _read_csl(path: Path, text: str, shown: str, diagnostics: Diagnostics) -> list[Any] | None:
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        diagnostics.error("M070", f"bibliography {shown} is not valid JSON: {exc.msg}", path,
                          exc.lineno)
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        diagnostics.error("M070", f"bibliography {shown} is not valid YAML: {problem}", path,
                          mark.line + 1 if mark is not None else None)
        return None
    records = _csl_records(data)
    if records is None:
        diagnostics.error("M070", f"bibliography {shown} holds no list of records", path,
                          hint="CSL JSON is a list of records; CSL YAML a list, or "
                          "`references:` holding one")
    return records


def _line_of(text: str, key: str) -> int | None:
    m = re.search(r"(?:^|[\"'\s{,])" + re.escape(key) + r"(?=[\"'\s,]|$)", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else None


def load_references(root: Path, rels: tuple[str, ...], diagnostics: Diagnostics
                    ) -> Source | None:
    """The records of the files ``rels`` (checked inside ``root`` by book.yaml's model);
    None when one cannot be read (reported)."""
    source = Source()
    ok = True
    origin: dict[str, str] = {}
    for rel in rels:
        path = root / rel
        try:
            text = plain_files.read_bytes(path, MAX_BIBLIOGRAPHY_BYTES).decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8"
            diagnostics.error("M070", f"bibliography {rel} cannot be read: {why}", path)
            ok = False
            continue
        suffix = path.suffix.lower()
        if suffix == ".bib":
            try:
                found = _BibTeX(str(path), encoding="utf-8")
            except Exception as exc:  # noqa: BLE001 (the reader raises bare ValueErrors)
                diagnostics.error("M070", f"bibliography {rel} cannot be read as BibTeX: {exc}",
                                  path, hint="check the braces and quotes of its entries; write accented letters as UTF-8")
                ok = False
                continue
            entries = list(found.values())
        elif suffix in (".json", ".yaml", ".yml"):
            records = _read_csl(path, text, rel, diagnostics)
            if records is None:
                ok = False
                continue
            entries = []
            for raw in records:
                record = _record(raw)
                if isinstance(record, str):
                    key = str(raw.get("id", "")) if isinstance(raw, dict) else ""
                    diagnostics.error("M071", f"bibliography {rel}: {record}", path,
                                      _line_of(text, key) if key else None)
                    ok = False
                    continue
                try:
                    entries.extend(CiteProcJSON([record]).values())
                except Exception as exc:  # noqa: BLE001 (citeproc-py's own checks)
                    diagnostics.error("M071", f"bibliography {rel}: record {record['id']} "
                                      f"is unusable: {exc}", path,
                                      _line_of(text, str(record["id"])))
                    ok = False
        else:
            diagnostics.error("M070", f"bibliography {rel}: unknown format {path.suffix!r}",
                              path, hint="use .json (CSL JSON), .yaml (CSL YAML) or .bib")
            ok = False
            continue
        for entry in entries:
            if entry.key in origin:
                diagnostics.warning("M072", f"bibliography key {entry.key} is defined twice "
                                    f"({origin[entry.key]} and {rel}); the first is used",
                                    path, _line_of(text, entry.key))
                continue
            origin[entry.key] = rel
            source.add(entry)
    return source if ok else None
