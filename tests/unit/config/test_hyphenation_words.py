"""The book's hyphenation words: book.yaml's ``hyphenation:`` and its file
(config/hyphenation.py, config/metadata.py)."""

from __future__ import annotations

from make_book.config import hyphenation
from make_book.config.hyphenation import HyphenationWords, book_words, parse_word
from make_book.config.load import read_book_metadata


def test_a_word_gives_its_break_points():
    assert parse_word("Pet-ro-grad") == ("petrograd", (3, 5))
    assert parse_word("Tchernov") == ("tchernov", ())


def test_lookup_ignores_case_and_a_possessive_ending():
    words = HyphenationWords.of(["Pet-ro-grad", "Tchernov"])
    assert words.lookup("PETROGRAD") == (3, 5)
    assert words.lookup("Petrograd’s") == (3, 5)
    assert words.lookup("Tchernov's") == ()
    assert words.lookup("Moscow") is None


def test_only_letters_with_single_hyphens_between_them():
    for bad in ("Pet--rograd", "-Petrograd", "Petrograd-", "Pet ro", "1917", "a_b", ""):
        assert hyphenation.word_problem(bad), bad
    for good in ("O'Neill", "Wörter-buch", "Пет-ро-град"):
        assert hyphenation.word_problem(good) is None, good


def write(tmp_path, yaml: str, file_text: str | None = None, encoding="utf-8"):
    (tmp_path / "book.yaml").write_text("title: T\nlang: en\n" + yaml, encoding="utf-8")
    if file_text is not None:
        (tmp_path / "words.txt").write_bytes(file_text.encode(encoding))
    return read_book_metadata(tmp_path)


def found(read) -> list[tuple[str, int | None, str]]:
    return [(d.path.name, d.line, d.code) for d in read.diagnostics]


def test_a_list_a_file_or_both(tmp_path):
    read = write(tmp_path, "hyphenation: [Pet-ro-grad, Tchernov]\n")
    assert read.diagnostics == [] and read.meta.hyphenation.words == ("Pet-ro-grad", "Tchernov")
    read = write(tmp_path, "hyphenation: words.txt\n", "# names\nKar-lov-na\n\nGromov  # never\n")
    assert read.diagnostics == [] and read.meta.hyphenation.file == "words.txt"
    words, problems = book_words(tmp_path, ("Pet-ro-grad",), "words.txt")
    assert problems == []
    assert words.lookup("Karlovna") == (3, 6) and words.lookup("Gromov") == ()
    assert words.lookup("Petrograd") == (3, 5)


def test_bad_words_are_reported_at_their_lines(tmp_path):
    read = write(tmp_path, "hyphenation:\n  - Pet-ro-grad\n  - Tcher nov\n  - Petr-o-grad\n")
    assert ("book.yaml", 5, "M050") in found(read)
    read = write(tmp_path, "hyphenation:\n  - Pet-ro-grad\n  - Petr-o-grad\n")
    assert found(read) == [("book.yaml", 5, "M051")]
    read = write(tmp_path, "hyphenation: {file: words.txt, words: [Kar-lovna]}\n",
                 "Pet-ro-grad\nTcher nov\nKar-lov-na\npetr-ograd\nPet-ro-grad\n")
    assert found(read) == [("words.txt", 2, "M050"), ("words.txt", 3, "M051"),
                           ("words.txt", 4, "M051")]


def test_a_file_that_is_missing_or_not_text(tmp_path):
    assert found(write(tmp_path, "hyphenation: nowhere.txt\n")) == [("book.yaml", 3, "M015")]
    read = write(tmp_path, "hyphenation: words.txt\n", "Größe\n", encoding="latin-1")
    assert found(read) == [("words.txt", None, "M052")]
    assert found(write(tmp_path, "hyphenation: 3\n")) == [("book.yaml", 3, "M017")]
