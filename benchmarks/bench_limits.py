"""How long the largest hostile paragraph that the parser limits accept takes to parse,
beside a paragraph of plain prose of the same length (the peer, measured in the same run).
The limits (markup/md_limits.check_limits) aim at about a second for the worst.
Run by hand: `.venv/bin/python benchmarks/bench_limits.py`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "security"))
from test_limits import UNITS, largest_accepted  # noqa: E402

from make_book.markup.markdown import to_html  # noqa: E402

PROSE = "The weavers walked under the chimneys towards the gates. "


def seconds(text: str) -> float:
    start = time.perf_counter()
    to_html(text)
    return time.perf_counter() - start


def main() -> None:
    print(f"{'unit':>10} {'chars':>8} {'hostile s':>10} {'prose s':>8} {'ratio':>7}")
    for unit in UNITS:
        text = largest_accepted(unit)
        prose = (PROSE * (len(text) // len(PROSE) + 1))[:len(text)]
        hostile, plain = seconds(text), seconds(prose)
        print(f"{unit!r:>10} {len(text):>8} {hostile:>10.2f} {plain:>8.2f} "
              f"{hostile / max(plain, 1e-6):>7.1f}")


if __name__ == "__main__":
    main()
