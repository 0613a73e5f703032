"""The kinds of text a book holds (``kind:`` of a chapter: preface, chapter, appendix...):
where each sits (front, body or back matter) and how it is announced to reading systems.

A vocabulary, not a stage: book.yaml's schema (config) checks ``kind:`` values against it
and the model (model.Chapter.info) reads it, so it sits below both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Matter = Literal["front", "body", "back"]


@dataclass(frozen=True)
class KindInfo:
    """What a chapter `kind` means: where it sits and how it is announced to reading systems."""

    matter: Matter
    epub_type: str
    role: str | None  # DPUB-ARIA role; None where the vocabulary has none for the section
    landmark: str | None = None  # epub:type used in the landmarks nav, when it deserves one


# Kinds as DESIGN.md lists them. Roles follow DPUB-ARIA 1.1; epub:type follows the EPUB 3
# Structural Semantics Vocabulary. Chapters and appendixes carry numbers by default.
KINDS: dict[str, KindInfo] = {
    "dedication": KindInfo("front", "dedication", "doc-dedication"),
    "epigraph": KindInfo("front", "epigraph", "doc-epigraph"),
    "foreword": KindInfo("front", "foreword", "doc-foreword"),
    "preface": KindInfo("front", "preface", "doc-preface"),
    "acknowledgments": KindInfo("front", "acknowledgments", "doc-acknowledgments"),
    "introduction": KindInfo("front", "introduction", "doc-introduction"),
    "prologue": KindInfo("body", "prologue", "doc-prologue"),
    "chapter": KindInfo("body", "chapter", "doc-chapter", "bodymatter"),
    "epilogue": KindInfo("body", "epilogue", "doc-epilogue"),
    "afterword": KindInfo("back", "afterword", "doc-afterword"),
    "conclusion": KindInfo("body", "conclusion", "doc-conclusion"),
    "appendix": KindInfo("back", "appendix", "doc-appendix"),
    "chronology": KindInfo("back", "appendix", "doc-appendix"),
    "glossary": KindInfo("back", "glossary", "doc-glossary", "glossary"),
    "bibliography": KindInfo("back", "bibliography", "doc-bibliography", "bibliography"),
    "colophon": KindInfo("back", "colophon", "doc-colophon"),
    "notes": KindInfo("back", "endnotes", "doc-endnotes"),
    # the text of a part's opening page (an epigraph under "Part I"); never a spine
    # document of its own: it is printed on the part's page (see Part.opening)
    "part": KindInfo("body", "part", "doc-part"),
}

NUMBERED_BY_DEFAULT = frozenset({"chapter", "appendix"})
