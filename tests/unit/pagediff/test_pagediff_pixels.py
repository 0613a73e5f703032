"""The pixel diff's boxes and the side-by-side image."""

from __future__ import annotations

from PIL import Image, ImageDraw

from make_book.pagediff.pixels import GAP, changed_boxes, side_by_side


def canvas():
    return Image.new("RGB", (200, 300), "white")


def test_the_changed_areas_are_boxed_apart():
    a, b = canvas(), canvas()
    draw = ImageDraw.Draw(b)
    draw.rectangle((20, 20, 40, 30), fill="black")
    draw.rectangle((120, 200, 150, 210), fill="black")
    boxes = changed_boxes(a, b, 1.0)
    assert len(boxes) == 2
    (x0, y0, x1, y1), (u0, v0, u1, v1) = boxes
    assert x0 <= 20 and y0 <= 20 and x1 >= 41 and y1 >= 31 and x1 < 60
    assert u0 <= 120 and v0 <= 200 and u1 >= 151 and v1 >= 211


def test_noise_and_equal_pages_have_no_boxes():
    a, b = canvas(), canvas()
    b.putpixel((5, 5), (230, 230, 230))  # anti-aliasing noise
    assert changed_boxes(a, b, 1.0) == []
    assert changed_boxes(a, canvas(), 1.0) == []


def test_boxes_are_in_points_at_any_scale():
    a, b = Image.new("RGB", (400, 600), "white"), Image.new("RGB", (400, 600), "white")
    ImageDraw.Draw(b).rectangle((200, 300, 220, 320), fill="black")
    (x0, y0, x1, y1), = changed_boxes(a, b, 2.0)
    assert 95 <= x0 <= 100 and 145 <= y0 <= 150 and 110 <= x1 <= 116


def test_side_by_side_marks_both_pages():
    a, b = canvas(), canvas()
    image = side_by_side(a, b, [(10, 10, 50, 50)], 1.0, ("old p. 1", "new p. 1"))
    assert image.width == 2 * 200 + GAP
    head = image.height - 300
    # the outline runs 2 px outside the box: its left edge at x = 8..9
    assert image.getpixel((9, head + 30)) == (220, 30, 30)
    assert image.getpixel((200 + GAP + 9, head + 30)) == (220, 30, 30)
    assert image.getpixel((30, head + 30)) == (255, 255, 255)  # inside stays as it was
    alone = side_by_side(None, b, [], 1.0, ("(no page)", "new p. 2"))
    assert alone.getpixel((100, head + 100)) == (235, 235, 235)
