"""Generate the artwork for the sample book manuscript/letters-from-the-volga/.

Everything is drawn procedurally with Pillow alone (no numpy, no downloads), from fixed
seeds, so re-running the script gives the same files byte for byte on the same Pillow:

  images/cover.jpg      1600x2560 RGB JPEG, abstract river-and-sun pattern, no text
  images/workers.jpg    2400x1600 RGB JPEG, sepia "photograph": mill on the far bank,
                        smoke, river, a crowd of small figures on the near bank (300 dpi)
  images/river.jpg      2400x1600 RGB JPEG, colour "photograph": evening river landscape
  images/workforce.png  1800x1200 RGB PNG, bar chart of the mill's workforce 1921-1929

Usage:  .venv/bin/python scripts/make_sample_images.py [BOOK_DIR]
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BOOK = ROOT / "manuscript" / "letters-from-the-volga"
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), ROOT / "layouts" / "default" / "fonts"]


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def lerp_rgb(c1, c2, t):
    return tuple(int(round(lerp(x, y, t))) for x, y in zip(c1, c2))


def vertical_gradient(size, stops):
    """An RGB image whose rows blend through ``stops``: a list of (position 0..1, rgb)."""
    w, h = size
    column = Image.new("RGB", (1, h))
    px = column.load()
    for y in range(h):
        t = y / max(1, h - 1)
        for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
            if p0 <= t <= p1:
                px[0, y] = lerp_rgb(c0, c1, (t - p0) / max(1e-9, p1 - p0))
                break
    return column.resize((w, h), Image.Resampling.NEAREST)


def grain(size, sigma: float, seed: int) -> Image.Image:
    """Film-grain noise centred on 128, as an L image, reproducible from ``seed``.

    Uniform random bytes, softened a little so the grain clumps like silver rather than
    sparkling like digital noise, then scaled to roughly ``sigma`` levels either side of 128.
    """
    w, h = size
    rng = random.Random(seed)
    raw = Image.frombytes("L", (w, h), rng.randbytes(w * h)).filter(ImageFilter.GaussianBlur(0.6))
    k = sigma / 40.0
    return raw.point(lambda v: max(0, min(255, int(128 + (v - 128) * k))))


def add_grain(img: Image.Image, sigma: float, seed: int, strength: float = 0.5) -> Image.Image:
    noise = grain(img.size, sigma, seed).convert("RGB")
    return Image.blend(img, ImageChops.add(img, noise, scale=1.0, offset=-128), strength)


def vignette(img: Image.Image, amount: float = 0.55) -> Image.Image:
    """Darken the corners with a soft radial mask."""
    w, h = img.size
    small = Image.new("L", (240, 160))
    px = small.load()
    for y in range(160):
        for x in range(240):
            dx = (x - 119.5) / 120
            dy = (y - 79.5) / 80
            d = min(1.0, math.hypot(dx, dy) / 1.25)
            px[x, y] = int(255 * (1 - amount * d**2.2))
    mask = small.resize((w, h), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(8))
    dark = Image.new("RGB", (w, h), (0, 0, 0))
    return Image.composite(img, dark, mask)


def font(size: int, bold: bool = False) -> ImageFont.ImageFont:
    names = ["DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", "LibertinusSerif-Regular.otf"]
    for d in FONT_DIRS:
        for n in names:
            if (d / n).exists():
                return ImageFont.truetype(str(d / n), size)
    return ImageFont.load_default(size=size)


# --------------------------------------------------------------------------------------
# cover


def make_cover(path: Path) -> None:
    w, h = 1600, 2560
    rng = random.Random(1922)
    img = vertical_gradient(
        (w, h),
        [(0.0, (23, 37, 58)), (0.45, (58, 82, 102)), (0.62, (176, 122, 78)), (1.0, (34, 49, 61))],
    )
    draw = ImageDraw.Draw(img, "RGBA")
    # a low sun: concentric rings
    cx, cy = int(w * 0.62), int(h * 0.56)
    for i, r in enumerate(range(620, 60, -40)):
        a = 18 + i * 6
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(236, 178, 104, min(a, 120)))
    # horizontal bands: the river, drawn as gently waving stripes across the lower half
    for band in range(46):
        y0 = int(h * 0.6 + band * 22)
        amp = 6 + band * 0.9
        phase = rng.random() * math.tau
        shade = 18 + (band % 5) * 9
        pts = []
        for x in range(-20, w + 40, 20):
            pts.append((x, y0 + amp * math.sin(phase + x / (120 + band * 3))))
        col = (200, 150, 100, 60) if band % 3 == 0 else (15, 25, 40, 40 + shade)
        draw.line(pts, fill=col, width=6 + band % 4)
    # diagonal rhythm of thin lines in the sky: a woodcut feel
    for i in range(-40, 80):
        x0 = i * 40
        draw.line([(x0, 0), (x0 + 900, int(h * 0.55))], fill=(255, 255, 255, 10), width=2)
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    img = add_grain(img, 40, seed=7, strength=0.25)
    img = vignette(img, 0.45)
    img.save(path, "JPEG", quality=90, dpi=(300, 300), optimize=True)


# --------------------------------------------------------------------------------------
# photographs


def smoke(layer: ImageDraw.ImageDraw, rng: random.Random, x: float, y: float, drift: float,
          count: int, grey: int) -> None:
    for i in range(count):
        t = i / count
        r = 18 + t * 160
        px = x + drift * t * 900 + rng.uniform(-25, 25)
        py = y - t * 420 + rng.uniform(-15, 15)
        a = int(150 * (1 - t) ** 1.3) + 10
        layer.ellipse((px - r, py - r * 0.7, px + r, py + r * 0.7), fill=(grey, grey, grey, a))


def make_workers(path: Path) -> None:
    """A sepia, slightly soft 'photograph' of the mill across the river, with a crowd."""
    w, h = 2400, 1600
    rng = random.Random(1926)
    horizon = int(h * 0.47)
    img = vertical_gradient(
        (w, h),
        [(0.0, (208, 208, 200)), (0.47, (236, 232, 220)), (0.48, (150, 150, 146)),
         (0.66, (120, 122, 120)), (0.67, (92, 86, 76)), (1.0, (60, 54, 46))],
    )
    # far bank and the mill
    base = ImageDraw.Draw(img, "RGBA")
    base.polygon([(0, horizon + 10)] + [(x, horizon - 18 + 10 * math.sin(x / 140)) for x in range(0, w + 1, 40)]
                 + [(w, horizon + 10)], fill=(110, 108, 104, 255))
    buildings = []
    x = 260
    while x < 1900:
        bw = rng.randint(120, 320)
        bh = rng.randint(90, 260)
        buildings.append((x, horizon - bh, x + bw, horizon + 8))
        x += bw + rng.randint(-30, 40)
    for b in buildings:
        g = rng.randint(62, 92)
        base.rectangle(b, fill=(g, g - 2, g - 6, 255))
        # rows of windows
        for wy in range(b[1] + 24, b[3] - 20, 38):
            for wx in range(b[0] + 14, b[2] - 20, 30):
                base.rectangle((wx, wy, wx + 12, wy + 20), fill=(g + 40, g + 38, g + 30, 255))
        # saw-tooth roofs on some
        if rng.random() < 0.5:
            for rx in range(b[0], b[2] - 40, 60):
                base.polygon([(rx, b[1]), (rx + 60, b[1]), (rx + 60, b[1] - 34)], fill=(g - 8, g - 10, g - 14, 255))
    chimneys = [(700, 470), (1180, 540), (1560, 430)]
    sky = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    sdraw = ImageDraw.Draw(sky)
    for cxh, ch in chimneys:
        base.polygon([(cxh - 22, horizon), (cxh + 22, horizon), (cxh + 13, horizon - ch), (cxh - 13, horizon - ch)],
                     fill=(58, 54, 50, 255))
        smoke(sdraw, rng, cxh, horizon - ch - 20, drift=0.55, count=60, grey=rng.randint(70, 110))
    img = Image.alpha_composite(img.convert("RGBA"), sky.filter(ImageFilter.GaussianBlur(22))).convert("RGB")
    # the river: reflections as broken horizontal strokes
    refl = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    rdraw = ImageDraw.Draw(refl)
    for _ in range(900):
        y = rng.randint(horizon + 20, int(h * 0.66))
        x0 = rng.randint(-100, w)
        ln = rng.randint(30, 260)
        g = rng.choice([200, 215, 90, 80])
        rdraw.line([(x0, y), (x0 + ln, y)], fill=(g, g, g - 6, rng.randint(25, 80)), width=rng.randint(2, 5))
    for b in buildings:  # dim, wavering reflection of the mill
        for y in range(horizon + 12, min(int(h * 0.62), horizon + 12 + (b[3] - b[1])), 6):
            jitter = rng.randint(-10, 10)
            rdraw.line([(b[0] + jitter, y), (b[2] + jitter, y)], fill=(70, 68, 64, 60), width=3)
    img = Image.alpha_composite(img.convert("RGBA"), refl.filter(ImageFilter.GaussianBlur(2.5))).convert("RGB")
    # near bank: a crowd of small figures, bigger the nearer they stand
    crowd = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    cdraw = ImageDraw.Draw(crowd)
    people = []
    for _ in range(170):
        y = rng.uniform(h * 0.70, h * 0.97)
        x = rng.gauss(w * 0.55, w * 0.22)
        people.append((y, x))
    people.sort()
    for y, x in people:
        s = lerp(0.55, 1.5, (y - h * 0.70) / (h * 0.27))
        body_h, body_w, head = 120 * s, 46 * s, 15 * s
        g = rng.randint(22, 60)
        coat = (g, g - 3, g - 8, 255)
        cdraw.polygon([(x - body_w / 2, y), (x + body_w / 2, y), (x + body_w * 0.36, y - body_h),
                       (x - body_w * 0.36, y - body_h)], fill=coat)
        cdraw.ellipse((x - head, y - body_h - 2 * head, x + head, y - body_h + 2), fill=(g + 70, g + 60, g + 45, 255))
        if rng.random() < 0.6:  # caps and headscarves
            cdraw.chord((x - head * 1.2, y - body_h - 2.3 * head, x + head * 1.2, y - body_h - 0.4 * head),
                        180, 360, fill=coat)
    # a banner pole and a plain cloth above the crowd, its text left to the imagination
    cdraw.line([(1260, h * 0.74), (1260, h * 0.56)], fill=(40, 36, 30, 255), width=8)
    cdraw.line([(1620, h * 0.75), (1620, h * 0.57)], fill=(40, 36, 30, 255), width=8)
    cdraw.polygon([(1260, h * 0.565), (1620, h * 0.575), (1620, h * 0.625), (1260, h * 0.615)], fill=(170, 160, 140, 255))
    img = Image.alpha_composite(img.convert("RGBA"), crowd.filter(ImageFilter.GaussianBlur(1.6))).convert("RGB")
    # photographic finish: softness, grain, sepia, vignette, a few scratches
    img = img.filter(ImageFilter.GaussianBlur(1.1))
    img = add_grain(img, 55, seed=3, strength=0.35)
    img = ImageOps.colorize(ImageOps.grayscale(img), black=(28, 20, 12), white=(246, 234, 210), mid=(150, 120, 88))
    img = vignette(img, 0.6)
    sd = ImageDraw.Draw(img, "RGBA")
    for _ in range(14):
        x0 = rng.randint(0, w)
        sd.line([(x0, 0), (x0 + rng.randint(-60, 60), h)], fill=(250, 240, 220, rng.randint(8, 22)), width=1)
    img.save(path, "JPEG", quality=88, dpi=(300, 300), optimize=True)


def make_river(path: Path) -> None:
    """A colour 'photograph' of the Volga at evening: sky, far hills, water, reeds."""
    w, h = 2400, 1600
    rng = random.Random(1924)
    horizon = int(h * 0.52)
    img = vertical_gradient(
        (w, h),
        [(0.0, (86, 118, 160)), (0.30, (170, 170, 180)), (0.50, (236, 196, 150)),
         (0.52, (120, 110, 100)), (0.53, (200, 170, 140)), (0.75, (92, 110, 130)), (1.0, (40, 56, 66))],
    )
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    # clouds: clusters of soft ellipses
    for _ in range(26):
        cx, cy = rng.uniform(0, w), rng.uniform(h * 0.05, h * 0.35)
        for _ in range(12):
            rx, ry = rng.uniform(60, 220), rng.uniform(20, 60)
            ox, oy = rng.gauss(0, 120), rng.gauss(0, 25)
            d.ellipse((cx + ox - rx, cy + oy - ry, cx + ox + rx, cy + oy + ry), fill=(245, 232, 220, 28))
    img = Image.alpha_composite(img.convert("RGBA"), layer.filter(ImageFilter.GaussianBlur(30))).convert("RGB")
    # far hills (the high right bank) in two tones
    d = ImageDraw.Draw(img, "RGBA")
    for tone, amp, off, col in ((0, 70, 60, (96, 100, 104, 255)), (1, 40, 22, (64, 70, 66, 255))):
        pts = [(0, horizon)]
        for x in range(0, w + 1, 20):
            y = horizon - off - amp * (0.5 + 0.5 * math.sin(x / (310 - tone * 90) + tone)) - rng.uniform(0, 6)
            pts.append((x, y))
        pts.append((w, horizon + 4))
        d.polygon(pts, fill=col)
    # a church and a few houses on the bank, very small
    d.rectangle((1690, horizon - 96, 1712, horizon - 20), fill=(70, 70, 66, 255))
    d.ellipse((1685, horizon - 118, 1717, horizon - 90), fill=(90, 92, 88, 255))
    for hx in range(1500, 1900, 55):
        d.rectangle((hx, horizon - 30, hx + 34, horizon - 8), fill=(84, 78, 70, 255))
    # water: glints of the low sun
    glints = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    gd = ImageDraw.Draw(glints)
    for _ in range(2600):
        y = rng.uniform(horizon + 6, h * 0.86)
        near = (y - horizon) / (h - horizon)
        x = rng.gauss(w * 0.4, 240 + 500 * near)
        ln = rng.uniform(10, 60 + 200 * near)
        gd.line([(x, y), (x + ln, y)], fill=(255, 222, 170, rng.randint(20, 90)), width=int(1 + 4 * near))
    img = Image.alpha_composite(img.convert("RGBA"), glints.filter(ImageFilter.GaussianBlur(1.5))).convert("RGB")
    # a boat with a sail, middle distance
    d = ImageDraw.Draw(img, "RGBA")
    bx, by = 880, int(h * 0.62)
    d.polygon([(bx - 80, by), (bx + 90, by), (bx + 60, by + 18), (bx - 60, by + 18)], fill=(40, 34, 30, 255))
    d.polygon([(bx, by - 4), (bx, by - 170), (bx + 80, by - 10)], fill=(214, 200, 176, 255))
    d.line([(bx, by), (bx, by - 180)], fill=(30, 26, 22, 255), width=4)
    # reeds in the foreground
    reeds = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    rd = ImageDraw.Draw(reeds)
    for _ in range(700):
        x = rng.uniform(-50, w * 0.45) if rng.random() < 0.7 else rng.uniform(w * 0.8, w + 50)
        ln = rng.uniform(120, 420)
        lean = rng.gauss(0, 40)
        g = rng.randint(30, 70)
        rd.line([(x, h + 5), (x + lean, h - ln)], fill=(g, g + 14, g - 10, 255), width=rng.randint(3, 7))
    img = Image.alpha_composite(img.convert("RGBA"), reeds.filter(ImageFilter.GaussianBlur(2.2))).convert("RGB")
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    img = add_grain(img, 30, seed=11, strength=0.22)
    img = vignette(img, 0.45)
    img.save(path, "JPEG", quality=88, dpi=(300, 300), optimize=True)


# --------------------------------------------------------------------------------------
# diagram


WORKFORCE = [(1921, 640), (1922, 910), (1923, 1380), (1924, 1720), (1925, 2150),
             (1926, 2460), (1927, 2390), (1928, 2810), (1929, 3240)]


def make_chart(path: Path) -> None:
    w, h = 1800, 1200
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    left, right, top, bottom = 220, 1720, 150, 1020
    ymax = 3500
    f_small, f_label, f_title = font(34), font(38), font(46, bold=True)
    d.text((left, 50), "Workers employed at the Red Anchor mill, 1921\u20131929", font=f_title, fill=(20, 20, 20))
    # grid and y axis labels
    for v in range(0, ymax + 1, 500):
        y = bottom - (bottom - top) * v / ymax
        d.line([(left, y), (right, y)], fill=(215, 215, 215) if v else (30, 30, 30), width=2 if v else 4)
        label = f"{v:,}".replace(",", "\u2009")
        tw = d.textlength(label, font=f_small)
        d.text((left - 24 - tw, y - 20), label, font=f_small, fill=(60, 60, 60))
    d.line([(left, top - 10), (left, bottom)], fill=(30, 30, 30), width=4)
    slot = (right - left) / len(WORKFORCE)
    for i, (year, n) in enumerate(WORKFORCE):
        x0 = left + i * slot + slot * 0.18
        x1 = left + (i + 1) * slot - slot * 0.18
        y = bottom - (bottom - top) * n / ymax
        col = (150, 58, 44) if year == 1927 else (58, 82, 102)
        d.rectangle((x0, y, x1, bottom - 2), fill=col)
        lbl = str(year)
        tw = d.textlength(lbl, font=f_label)
        d.text(((x0 + x1) / 2 - tw / 2, bottom + 18), lbl, font=f_label, fill=(30, 30, 30))
        val = f"{n:,}".replace(",", "\u2009")
        tw = d.textlength(val, font=f_small)
        d.text(((x0 + x1) / 2 - tw / 2, y - 46), val, font=f_small, fill=(60, 60, 60))
    d.text((left, bottom + 90), "Source: mill payroll ledgers (invented figures for this sample book).",
           font=f_small, fill=(90, 90, 90))
    img.save(path, "PNG", dpi=(300, 300), optimize=True)


def main(argv: list[str]) -> int:
    book = Path(argv[1]) if len(argv) > 1 else DEFAULT_BOOK
    out = book / "images"
    out.mkdir(parents=True, exist_ok=True)
    make_cover(out / "cover.jpg")
    make_workers(out / "workers.jpg")
    make_river(out / "river.jpg")
    make_chart(out / "workforce.png")
    for p in sorted(out.iterdir()):
        with Image.open(p) as im:
            print(f"{p.relative_to(book)}: {im.format} {im.mode} {im.size[0]}x{im.size[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
