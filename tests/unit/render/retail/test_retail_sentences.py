"""Sentence segments for the Kobo spans: ICU's rules per language, pieces that join back."""

from __future__ import annotations

import pytest

from make_book.render.retail.sentences import sentences


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("It was late. Mrs. Hale left at 3 p.m. Then night came.", "en-GB",
     ["It was late. ", "Mrs. Hale left at 3 p.m. ", "Then night came."]),
    ("«Кто там?» — спросил он. Никто.", "ru", ["«Кто там?» — спросил он. ", "Никто."]),
    ("Er kam usw. spät. Dann ging er.", "de", ["Er kam usw. spät. ", "Dann ging er."]),
    ("One 𝔄 here. Two 𝔅 there. End", "en", ["One 𝔄 here. ", "Two 𝔅 there. ", "End"]),
    ("no end at all", "", ["no end at all"]),
    ("  ", "en", ["  "]),
    ("", "en", []),
])
def test_sentences(text, lang, expected):
    assert sentences(text, lang) == expected
    assert "".join(sentences(text, lang)) == text


def test_an_unknown_language_falls_back_to_the_root_rules():
    assert sentences("One. Two.", "x-unknown") == ["One. ", "Two."]
