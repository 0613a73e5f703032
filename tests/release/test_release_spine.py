"""Paper stocks and the spine width."""

import pytest

from make_book.render.cover import spine
from make_book.render.cover.spine import PaperError, paper_for, spine_width_in


@pytest.mark.parametrize("value, per_page", [
    (None, 0.002252), ("white", 0.002252), ("cream", 0.0025), ("Creme", 0.0025),
    ("color", 0.002347), ("premium-color", 0.002347), ("standard-color", 0.002252),
    ("kdp-cream", 0.0025), ("0.0023", 0.0023), ("0.0023in", 0.0023),
    ("400ppi", 0.0025), ("0.0635mm", 0.0025),
])
def test_paper_stocks_and_numbers(value, per_page):
    assert paper_for(value).inches_per_page == pytest.approx(per_page)


@pytest.mark.parametrize("value", ["glossy", "0", "0.5in", "12ppi", "-1"])
def test_unknown_or_impossible_paper(value):
    with pytest.raises(PaperError):
        paper_for(value)


def test_spine_width_uses_leaves():
    white = paper_for("white")
    assert spine_width_in(200, white) == 0.4504
    assert spine_width_in(199, white) == spine_width_in(200, white)  # a blank last page
    assert spine_width_in(300, paper_for("cream")) == 0.75


def test_spine_text_threshold():
    white, cream = paper_for("white"), paper_for("cream")
    assert not spine.spine_has_text(spine_width_in(110, white))
    assert spine.spine_has_text(spine_width_in(112, white))
    assert spine.pages_for_spine_text(white) == 112
    assert spine.pages_for_spine_text(cream) == 100
