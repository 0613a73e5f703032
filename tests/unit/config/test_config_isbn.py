"""ISBN/ISSN check digits: a mistyped ISBN must never reach a retailer feed."""

import pytest

from make_book.config.isbn import (check_isbn, check_issn, isbn10_to_13, normalize_isbn,
                                   to_isbn13)


@pytest.mark.parametrize("isbn", ["978-0-306-40615-7", "9780306406157", "0-306-40615-2",
                                  "0 306 40615 2", "978-1-4028-9462-6", "0-8044-2957-X",
                                  "0-8044-2957-x"])
def test_good_isbns(isbn):
    assert check_isbn(isbn) is None


def test_wrong_isbn13_check_digit():
    assert check_isbn("978-0-306-40615-8") == "has a wrong check digit (expected 7)"
    assert check_isbn("978-0-00-000000-1") == "has a wrong check digit (expected 2)"


def test_wrong_isbn10_check_digit():
    assert check_isbn("0-306-40615-3") == "has a wrong check digit (expected 2)"
    assert check_isbn("0-8044-2957-5") == "has a wrong check digit (expected X)"


@pytest.mark.parametrize("isbn, phrase", [
    ("978-0-306", "has 7 digits"),
    ("977-0-306-40615-7", "must start with 978 or 979"),
    ("ISBN 978-0-306-40615-7", "only digits and hyphens"),
    ("X-306-40615-2", "X is allowed only as its last character"),
])
def test_malformed_isbns(isbn, phrase):
    assert phrase in check_isbn(isbn)


def test_normalize_and_convert():
    assert normalize_isbn(" 0-8044-2957-x ") == "080442957X"
    assert isbn10_to_13("0-306-40615-2") == "9780306406157"
    assert to_isbn13("978-0-306-40615-7") == "9780306406157"
    with pytest.raises(ValueError):
        isbn10_to_13("0-306-40615-3")


def test_issn():
    assert check_issn("0317-8471") is None
    assert check_issn("2049-3630") is None
    assert check_issn("0317-8472") == "has a wrong check digit (expected 1)"
    assert "8 characters" in check_issn("0317-847")
