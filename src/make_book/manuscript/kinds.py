"""What a title says about its piece of the book, in the book's language: its kind
(Preface, Epilogue, Appendix...) and whether it already carries its number ("IV. ...",
"Chapter 3"), for books whose files have no YAML block to say so (Pandoc Markdown as
Pandoc writes it). One table per language; a language not here falls back to English.
"""

from __future__ import annotations

import re
import unicodedata

# kind -> the titles (casefolded, without a trailing colon and what follows) that name it.
# "Appendix" also matches "Appendix A: Sources"; see PREFIX_KINDS.
TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "introduction": ("introduction",),
        "preface": ("preface", "author's preface", "preface to the first edition",
                    "preface to the second edition", "translator's preface",
                    "translator's note", "translator's introduction", "editor's note",
                    "editor's preface", "note on the text", "a note on the text"),
        "foreword": ("foreword",),
        "prologue": ("prologue",),
        "epilogue": ("epilogue",),
        "afterword": ("afterword", "postscript"),
        "conclusion": ("conclusion",),
        "notes": ("notes", "endnotes"),
        "appendix": ("appendix", "appendices"),
        "glossary": ("glossary",),
        "bibliography": ("bibliography", "references", "works cited", "further reading"),
        "chronology": ("chronology", "timeline"),
        "acknowledgments": ("acknowledgments", "acknowledgements"),
        "dedication": ("dedication",),
        "epigraph": ("epigraph",),
        "colophon": ("colophon",),
    },
    "de": {
        "introduction": ("einleitung", "einführung"),
        "preface": ("vorwort", "vorbemerkung", "anmerkung des übersetzers",
                    "vorwort des übersetzers", "zur übersetzung"),
        "foreword": ("geleitwort",),
        "prologue": ("prolog",),
        "epilogue": ("epilog",),
        "afterword": ("nachwort", "nachbemerkung"),
        "conclusion": ("schluss", "schlussbemerkung"),
        "notes": ("anmerkungen", "endnoten"),
        "appendix": ("anhang",),
        "glossary": ("glossar",),
        "bibliography": ("bibliographie", "bibliografie", "literaturverzeichnis", "literatur"),
        "chronology": ("chronologie", "zeittafel"),
        "acknowledgments": ("danksagung", "dank"),
        "dedication": ("widmung",),
        "epigraph": ("motto",),
        "colophon": ("kolophon",),
    },
    "fr": {
        "introduction": ("introduction",),
        "preface": ("préface", "avertissement", "note du traducteur", "avant-propos du traducteur"),
        "foreword": ("avant-propos",),
        "prologue": ("prologue",),
        "epilogue": ("épilogue",),
        "afterword": ("postface",),
        "conclusion": ("conclusion",),
        "notes": ("notes",),
        "appendix": ("annexe", "annexes", "appendice"),
        "glossary": ("glossaire",),
        "bibliography": ("bibliographie",),
        "chronology": ("chronologie",),
        "acknowledgments": ("remerciements",),
        "dedication": ("dédicace",),
        "epigraph": ("épigraphe",),
        "colophon": ("colophon",),
    },
    "ru": {
        "introduction": ("введение", "вступление"),
        "preface": ("предисловие", "от переводчика", "от автора", "примечание переводчика"),
        "foreword": ("вступительное слово",),
        "prologue": ("пролог",),
        "epilogue": ("эпилог",),
        "afterword": ("послесловие",),
        "conclusion": ("заключение",),
        "notes": ("примечания", "комментарии"),
        "appendix": ("приложение", "приложения"),
        "glossary": ("глоссарий", "словарь"),
        "bibliography": ("библиография", "литература", "список литературы"),
        "chronology": ("хронология",),
        "acknowledgments": ("благодарности",),
        "dedication": ("посвящение",),
        "epigraph": ("эпиграф",),
        "colophon": ("выходные данные",),
    },
}

# What a piece without a heading is called where a title must be shown (the EPUB's nav).
UNTITLED: dict[str, dict[str, str]] = {
    "en": {"dedication": "Dedication", "epigraph": "Epigraph"},
    "de": {"dedication": "Widmung", "epigraph": "Motto"},
    "fr": {"dedication": "Dédicace", "epigraph": "Épigraphe"},
    "ru": {"dedication": "Посвящение", "epigraph": "Эпиграф"},
}

# Words that announce a number ("Chapter 3", "Teil II", "Глава 1").
NUMBER_WORDS = (
    "chapter|part|book|section|volume|appendix|canto|letter|"
    "kapitel|teil|buch|abschnitt|band|anhang|brief|"
    "chapitre|partie|livre|tome|annexe|lettre|"
    "глава|часть|книга|том|раздел|приложение|письмо")
SPELLED = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
           "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|first|second|third|"
           "fourth|fifth|sixth|seventh|eighth|ninth|tenth|the first|the second|the third|"
           "the last")
NUMERAL = r"(?:[IVXLCDM]+|\d+(?:\.\d+)*|[A-Z])"  # roman, arabic ("2.1"), a letter
# "IV. Title", "3. The Trials", "I: Background", "II — The Town", or the number alone
_NUMBERED = re.compile(rf"^{NUMERAL}(?:\s*[.:)]\s*\S|\s+[—–]\s+\S|\s*[.:)]?$)")
_WORD_NUMBERED = re.compile(  # "Chapter 3", "Part One", "Teil II", "Глава 1"
    rf"^(?:{NUMBER_WORDS})\s+(?:{NUMERAL}|{SPELLED})(?:$|[\s.:)—–])", re.IGNORECASE)


def _table(lang: str | None) -> dict[str, tuple[str, ...]]:
    return TITLES.get((lang or "en").split("-")[0].lower(), TITLES["en"])


def _normal(title: str) -> str:
    text = unicodedata.normalize("NFC", title).replace("\u2019", "'").casefold()
    return re.sub(r"\s+", " ", text).strip(" .:")


# What may follow a kind's name in a longer title: "Preface to the Second Edition, 1884",
# "Introduction: Why Engels", "Appendix A", "Vorwort zur zweiten Auflage".
_QUALIFIER = re.compile(
    r"^(?:$|\s*[:,(—–]|\s+(?:to|of|by|for|on|zur|zum|zu|der|des|von|à|de|du|des|pour|к|ко)\b"
    rf"|\s+{NUMERAL}\b)")


def kind_of_title(title: str, lang: str | None) -> str | None:
    """The kind a title names in ``lang`` ("Preface" -> preface, "Preface to the Second
    Edition" -> preface, "Appendix B: Maps" -> appendix), or None for a chapter's title."""
    text = _normal(title)
    best: tuple[int, str] | None = None
    for kind, names in _table(lang).items():
        for name in names:
            if text.startswith(name) and _QUALIFIER.match(
                    unicodedata.normalize("NFC", title).replace("\u2019", "'")
                    .strip()[len(name):] if len(text) > len(name) else ""):
                if best is None or len(name) > best[0]:  # "translator's note" over "notes"
                    best = (len(name), kind)
    return best[1] if best else None


def carries_number(title: str) -> bool:
    """Whether a title already says its number ("I: Background", "Chapter 3", "3. The
    Trials", "IV. ...", "Part One"): such a piece gets no "Chapter n" label."""
    text = unicodedata.normalize("NFC", title).strip()
    return bool(_NUMBERED.match(text) or _WORD_NUMBERED.match(text))


def untitled_name(kind: str, lang: str | None) -> str | None:
    """What a piece of ``kind`` without a heading is called in ``lang``."""
    table = UNTITLED.get((lang or "en").split("-")[0].lower(), UNTITLED["en"])
    return table.get(kind)


# A title that addresses someone ("To the Working-Classes of Great-Britain", "To my
# teachers") before the first chapter is a dedication, in the book's language.
ADDRESSES = {
    "en": ("to ",),
    "de": ("an ", "für "),
    "fr": ("à ", "a "),
    "ru": ("посвящается", "посвящение"),
}


def is_address(title: str, lang: str | None) -> bool:
    """Whether ``title`` opens with the words of a dedication's address in ``lang``."""
    words = ADDRESSES.get((lang or "en").split("-")[0].lower(), ADDRESSES["en"])
    return unicodedata.normalize("NFC", title).strip().lower().startswith(words)
