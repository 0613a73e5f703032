"""Paths named by a book stay inside its folder; missing and escaping are told apart."""

import os

from make_book.config.paths import PathError, check_relative, resolve_inside


def _book(tmp_path):
    book = tmp_path / "book"
    (book / "images").mkdir(parents=True)
    (book / "images" / "cover.jpg").write_bytes(b"x")
    return book


def test_inside_and_normalised(tmp_path):
    book = _book(tmp_path)
    assert resolve_inside(book, "./images/../images/cover.jpg") == \
        book.resolve() / "images" / "cover.jpg"
    assert check_relative("images//cover.jpg") == "images/cover.jpg"


def test_absolute_refused(tmp_path):
    problem = resolve_inside(_book(tmp_path), str(tmp_path / "book" / "images" / "cover.jpg"))
    assert isinstance(problem, PathError) and problem.reason == "absolute" and problem.escapes


def test_dotdot_escape_refused(tmp_path):
    (tmp_path / "x.jpg").write_bytes(b"x")  # exists, still refused
    problem = resolve_inside(_book(tmp_path), "../x.jpg")
    assert problem.reason == "escape" and problem.message == "../x.jpg points outside the book folder"
    assert check_relative("images/../../x.jpg").reason == "escape"


def test_symlink_out_refused(tmp_path):
    book = _book(tmp_path)
    (tmp_path / "secret.jpg").write_bytes(b"x")
    os.symlink(tmp_path / "secret.jpg", book / "images" / "link.jpg")
    problem = resolve_inside(book, "images/link.jpg")
    assert problem.reason == "escape" and "link" in problem.message


def test_symlink_inside_allowed(tmp_path):
    book = _book(tmp_path)
    os.symlink(book / "images" / "cover.jpg", book / "images" / "alias.jpg")
    assert resolve_inside(book, "images/alias.jpg") == book.resolve() / "images" / "alias.jpg"


def test_missing_with_hint(tmp_path):
    problem = resolve_inside(_book(tmp_path), "images/cover.jpeg")
    assert problem.reason == "missing" and not problem.escapes
    assert problem.hint == "did you mean images/cover.jpg?"


def test_folder_is_not_a_file(tmp_path):
    assert resolve_inside(_book(tmp_path), "images").reason == "not-a-file"


def test_must_exist_false(tmp_path):
    book = _book(tmp_path)
    assert resolve_inside(book, "new/out.md", must_exist=False) == book.resolve() / "new/out.md"
