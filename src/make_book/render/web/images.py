"""The web edition's images: each file the book uses, plus narrower copies of a large
raster image for ``srcset`` (a phone on a slow network should not fetch a 3,000-pixel
scan to show it 375 pixels wide).

Narrower copies are made only where the source is much wider than the step (JPEG stays
JPEG, PNG stays PNG; a GIF or an SVG is published as it is: an SVG scales, a GIF may be
animated). Pillow's encoders are deterministic, so rebuilds give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from PIL import Image as PILImage

from make_book.model import Image

WIDTHS = (480, 960)  # a phone, a phone at 2x or a narrow desktop column
MIN_GAIN = 1.25  # a copy is made when the source is at least this much wider
SIZES = "(max-width: 42em) 100vw, 40em"  # the text column (css/web.css: main max-width)
FORMATS = {"image/jpeg": ("JPEG", {"quality": 82, "optimize": True}),
           "image/png": ("PNG", {"optimize": True})}


@dataclass(frozen=True)
class WebImage:
    href: str  # as the book names it: images/plate-1.jpg
    width: int
    srcset: tuple[tuple[str, int], ...] = ()  # (href, width), narrow to wide, source last
    files: dict[str, bytes] = field(default_factory=dict)  # href -> bytes, source included


def variant_href(href: str, width: int) -> str:
    path = PurePosixPath(href)
    return str(path.with_name(f"{path.stem}-{width}w{path.suffix}"))


def web_image(image: Image) -> WebImage:
    data = image.content()
    files = {image.href: data}
    kind = FORMATS.get(image.media_type)
    widths = [w for w in WIDTHS if image.width >= w * MIN_GAIN]
    if image.vector or kind is None or not widths:
        return WebImage(image.href, image.width, (), files)
    fmt, options = kind
    with PILImage.open(io.BytesIO(data)) as source:
        source.load()
        if fmt == "JPEG" and source.mode not in ("RGB", "L"):
            source = source.convert("RGB")  # a CMYK scan: browsers show RGB
        srcset = []
        for width in widths:
            height = max(1, round(source.height * width / source.width))
            out = io.BytesIO()
            source.resize((width, height), PILImage.Resampling.LANCZOS).save(out, fmt,
                                                                                  **options)
            href = variant_href(image.href, width)
            files[href] = out.getvalue()
            srcset.append((href, width))
    srcset.append((image.href, image.width))
    return WebImage(image.href, image.width, tuple(srcset), files)


def srcset_attr(image: WebImage) -> str:
    return ", ".join(f"{href} {width}w" for href, width in image.srcset)
