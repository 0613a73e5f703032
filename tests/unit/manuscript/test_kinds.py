"""Kinds and carried numbers read from titles, in the book's language."""

import pytest

from make_book.manuscript.kinds import carries_number, kind_of_title, untitled_name


@pytest.mark.parametrize(("title", "lang", "kind"), [
    ("Introduction", "en-US", "introduction"),
    ("Preface to the Second and Revised Edition, 1884", "en-GB", "preface"),
    ("Translator’s Note", "en", "preface"),
    ("Notes", "en", "notes"),
    ("Appendix", "en", "appendix"),
    ("Appendix B: Maps", "en", "appendix"),
    ("Chronology", "en", "chronology"),
    ("Einleitung", "de", "introduction"),
    ("Anhang 2", "de", "appendix"),
    ("Anmerkung des Übersetzers", "de", "preface"),
    ("Épilogue", "fr", "epilogue"),
    ("Note du traducteur", "fr", "preface"),
    ("Эпилог", "ru", "epilogue"),
    ("Приложение 1", "ru", "appendix"),
    ("Notes from Underground", "en", None),
    ("The Preface", "en", None),
    ("Prefaces and Prologues", "en", None),
])
def test_kind_of_title(title, lang, kind):
    assert kind_of_title(title, lang) == kind


def test_unknown_language_falls_back_to_english():
    assert kind_of_title("Epilogue", "sv") == "epilogue"


@pytest.mark.parametrize(("title", "numbered"), [
    ("I: Background", True), ("IV. The Town", True), ("3. The Trials", True),
    ("Chapter 3", True), ("Part One", True), ("Book XII: A Judicial Error", True),
    ("II — The Town", True), ("XIV", True), ("Kapitel 2", True), ("Глава 1", True),
    ("A Study in Scarlet", False), ("I Remember", False), ("Mix-up", False),
    ("X-Rays", False), ("The Looms", False),
])
def test_carries_number(title, numbered):
    assert carries_number(title) is numbered


def test_untitled_names():
    assert untitled_name("epigraph", "de-AT") == "Motto"
    assert untitled_name("dedication", "ru") == "Посвящение"
    assert untitled_name("chapter", "en") is None
