"""Responsive images (render/web/images.py): narrower copies of a large raster image."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image as PILImage

from make_book.model import Image
from make_book.render.web.images import srcset_attr, web_image


def image(width: int, height: int, fmt: str = "PNG", media_type: str = "image/png") -> Image:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (120, 30, 30)).save(out, fmt)
    return Image(source=Path("/b/images/x"), href=f"images/plate.{fmt.lower()}",
                 media_type=media_type, width=width, height=height, data=out.getvalue())


def test_a_large_image_gets_narrower_copies_in_its_own_format():
    web = web_image(image(1500, 1000, "JPEG", "image/jpeg"))
    assert [w for _, w in web.srcset] == [480, 960, 1500]
    assert srcset_attr(web) == ("images/plate-480w.jpeg 480w, images/plate-960w.jpeg 960w, "
                                "images/plate.jpeg 1500w")
    with PILImage.open(io.BytesIO(web.files["images/plate-480w.jpeg"])) as small:
        assert (small.format, small.size) == ("JPEG", (480, 320))


def test_only_widths_well_below_the_source():
    web = web_image(image(700, 500))
    assert [w for _, w in web.srcset] == [480, 700]
    assert set(web.files) == {"images/plate.png", "images/plate-480w.png"}


def test_small_vector_and_gif_images_are_published_as_they_are():
    assert web_image(image(400, 300)).srcset == ()
    gif = image(2000, 1000, "GIF", "image/gif")
    assert web_image(gif).srcset == () and list(web_image(gif).files) == ["images/plate.gif"]
    svg = Image(source=Path("/b/images/d.svg"), href="images/d.svg", media_type="image/svg+xml",
                width=3000, height=100, data=b"<svg/>", vector=True)
    assert web_image(svg).files == {"images/d.svg": b"<svg/>"}


def test_the_same_image_gives_the_same_bytes():
    source = image(1500, 1000)
    assert web_image(source).files == web_image(source).files
