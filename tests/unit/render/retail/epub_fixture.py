"""A small EPUB written by hand for the retailer changes' unit tests: one chapter with the
markup the changes must respect (notes, page-break markers, ruby, MathML, an image, a
preformatted block), a cover page, a nav with landmarks, an NCX and a stylesheet."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
lang="en-GB" xml:lang="en-GB">
<head><title>One</title><link rel="stylesheet" type="text/css" href="../css/book.css"/></head>
<body epub:type="bodymatter">
<section id="one" class="chapter" epub:type="chapter">
<h1 id="one-title">The First Chapter</h1>
<p>Mr. Brown came home at noon. He was tired!<sup class="noteref"><a id="r1" \
href="#n1" role="doc-noteref" epub:type="noteref">1</a></sup> Was it late? \
<em>Very late.</em> The end<span id="page-2" role="doc-pagebreak" epub:type="pagebreak" \
aria-label="2"/> came.</p>
<p lang="ru" xml:lang="ru">Он пришёл. Было поздно.</p>
<p>A word in <ruby>漢<rt>kan</rt></ruby> and <math xmlns="http://www.w3.org/1998/Math/MathML">\
<mi>x</mi><mo>=</mo><mn>1</mn></math> here. An astral 𝔄 letter. Done.</p>
<figure id="fig"><img src="../images/pic.png" alt="A picture" width="10" height="10"/>\
<figcaption>A caption. Two sentences.</figcaption></figure>
<pre>code. more code.</pre>
<ul><li>One item. Two.</li><li><a href="#one">A link. Still.</a></li></ul>
</section>
<section class="notes" epub:type="footnotes">
<aside id="n1" epub:type="footnote" role="doc-footnote"><p><a href="#r1" \
role="doc-backlink">1.</a> A note. With two sentences.</p></aside>
</section>
</body>
</html>
"""

COVER = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
lang="en-GB" xml:lang="en-GB">
<head><title>Cover</title><link rel="stylesheet" type="text/css" href="../css/book.css"/></head>
<body><section id="cover" class="cover" epub:type="cover" aria-label="Cover">
<img src="../images/cover.png" alt="The Book"/></section></body>
</html>
"""

NAV = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" \
lang="en-GB" xml:lang="en-GB">
<head><title>Contents</title></head>
<body>
<nav epub:type="toc" id="toc"><h1>Contents</h1><ol><li><a href="text/one.xhtml">The First \
Chapter. Yes.</a></li></ol></nav>
<nav epub:type="landmarks" id="landmarks" hidden=""><ol>
<li><a epub:type="cover" href="text/cover.xhtml">Cover</a></li>
<li><a epub:type="toc" href="nav.xhtml#toc">Contents</a></li>
<li><a epub:type="bodymatter" href="text/one.xhtml">Start</a></li>
</ol></nav>
</body>
</html>
"""

NCX = """<?xml version="1.0" encoding="utf-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:uid" content="urn:uuid:1"/></head>
<docTitle><text>The Book</text></docTitle>
<navMap><navPoint id="n1" playOrder="1"><navLabel><text>One</text></navLabel>\
<content src="text/one.xhtml"/></navPoint></navMap>
</ncx>
"""

CSS = """html { font-family: serif; }
body { margin: 0 1em; line-height: 1.4; font-variant-numeric: oldstyle-nums; }
p { text-indent: 1.2em; }
.hang { padding-left: 2em; text-indent: -2em; }
section > p:has(~ h2), p.first { text-indent: 0; }
"""

OPF = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" unique-identifier="id" version="3.0">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:uuid:1</dc:identifier><dc:title>The Book</dc:title>
<dc:language>en-GB</dc:language><meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
<meta name="cover" content="cover-image"/>
</metadata>
<manifest>
<item href="css/book.css" id="css" media-type="text/css"/>
<item href="fonts/Serif.otf" id="font-1" media-type="font/otf"/>
<item href="images/cover.png" id="cover-image" media-type="image/png" properties="cover-image"/>
<item href="images/pic.png" id="img-1" media-type="image/png"/>
<item href="text/cover.xhtml" id="cover" media-type="application/xhtml+xml"/>
<item href="text/one.xhtml" id="one" media-type="application/xhtml+xml" properties="mathml"/>
<item href="nav.xhtml" id="nav" media-type="application/xhtml+xml" properties="nav"/>
<item href="toc.ncx" id="ncx" media-type="application/x-dtbncx+xml"/>
</manifest>
<spine toc="ncx"><itemref idref="cover"/><itemref idref="one"/>\
<itemref idref="nav" linear="no"/></spine>
</package>
"""

CONTAINER = """<?xml version="1.0" encoding="utf-8"?>
<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
<rootfiles><rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>
"""


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "grey").save(out, "PNG")
    return out.getvalue()


def make_epub(replace: dict[str, bytes | str] | None = None, cover_px=(1600, 2560)) -> bytes:
    """The EPUB's bytes, with the entries in ``replace`` swapped in (``b""`` drops one)."""
    entries: dict[str, bytes | str] = {
        "mimetype": "application/epub+zip", "META-INF/container.xml": CONTAINER,
        "EPUB/content.opf": OPF, "EPUB/css/book.css": CSS, "EPUB/fonts/Serif.otf": b"OTTO",
        "EPUB/images/cover.png": png(*cover_px), "EPUB/images/pic.png": png(10, 10),
        "EPUB/text/cover.xhtml": COVER, "EPUB/text/one.xhtml": CHAPTER,
        "EPUB/nav.xhtml": NAV, "EPUB/toc.ncx": NCX}
    entries.update(replace or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries.items():
            if data != b"":
                z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)
    return out.getvalue()
