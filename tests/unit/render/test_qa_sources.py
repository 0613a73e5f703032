"""The source line a printed line comes from: the first place its words run in the file."""

import random

from make_book.render.print import qa_sources
from make_book.render.print.qa_sources import RUN, WORD_RE, source_line


def _write(tmp_path, text: str):
    path = tmp_path / "chapter.md"
    path.write_text(text, encoding="utf-8")
    qa_sources._stream.cache_clear()
    return path


def test_a_printed_line_is_found_where_its_words_run(tmp_path):
    path = _write(tmp_path, "# Title\n\nThe mill met again at the\nriver school, and *spoke* "
                            "of wages.\n\nThe mill met again.\n")
    assert source_line(path, "river school, and spoke") == 4  # across markup
    assert source_line(path, "met again at the river") == 3  # a run across source lines
    assert source_line(path, "The mill met again") == 3  # the first place wins


def test_a_word_cut_by_a_hyphen_falls_back_to_a_shorter_run(tmp_path):
    path = _write(tmp_path, "one two\nthree four five six\n")
    assert source_line(path, "three four fi-") == 2
    assert source_line(path, "ve six") is None  # no run, and "six" alone is too short
    assert source_line(path, "ve five") == 2  # "five" alone will do
    assert source_line(path, "and") is None  # one short word is found anywhere: not taken
    assert source_line(path, "nothing printed here") is None


def test_no_file_or_no_text(tmp_path):
    assert source_line(None, "text") is None
    assert source_line(tmp_path / "missing.md", "some words here") is None
    assert source_line(_write(tmp_path, "words\n"), "!!") is None


def _scan(text: str, printed: str) -> int | None:
    """The answer as a search from every start would give it."""
    words, lines = [], []
    for number, line in enumerate(text.split("\n"), start=1):
        for word in WORD_RE.findall(line.lower()):
            words.append(word)
            lines.append(number)
    wanted = WORD_RE.findall(printed.lower())
    for size in range(min(RUN, len(wanted)), 0, -1):
        for start in range(len(wanted) - size + 1):
            needle = wanted[start:start + size]
            if size == 1 and len(needle[0]) < 4:
                continue
            for i in range(len(words)):
                if words[i:i + size] == needle:
                    return lines[i]
    return None


def test_the_table_answers_as_a_scan_of_the_file(tmp_path):
    rng = random.Random(5)
    vocabulary = "the mill river school wages bread strike council a of".split()
    text = "\n".join(" ".join(rng.choice(vocabulary) for _ in range(rng.randint(0, 9)))
                     for _ in range(80))
    path = _write(tmp_path, text)
    for _ in range(300):
        printed = " ".join(rng.choice(vocabulary + ["lost"]) for _ in range(rng.randint(1, 6)))
        assert source_line(path, printed) == _scan(text, printed), printed
