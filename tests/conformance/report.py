"""Pass rate of the conformance suite per group: ``python tests/conformance/report.py``.

Runs every case once (the same comparison as the tests) and prints ``group passed/total``;
``-v`` also lists the failing cases (xfail ones marked). A case that raises counts
as failed.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from tests.conformance.cases import load_cases  # noqa: E402
from tests.conformance.pipeline import compare  # noqa: E402


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures: list[str] = []
    for case in load_cases():
        try:
            ours, pandoc, _ = compare(case.markdown)
            passed = ours == pandoc
        except Exception as exc:  # noqa: BLE001 (a crash is a failure, reported by name)
            passed = False
            if verbose:
                failures.append(f"  {case.id}: {type(exc).__name__}: {exc}")
        totals[case.group][1] += 1
        if passed:
            totals[case.group][0] += 1
        elif verbose:
            failures.append(f"  {case.id}" + (" (xfail)" if case.xfail else ""))
    width = max((len(g) for g in totals), default=5)
    for group in sorted(totals):
        passed, total = totals[group]
        print(f"{group:<{width}}  {passed:>3}/{total:<3}  {100 * passed // total:>3}%")
    passed = sum(p for p, _ in totals.values())
    total = sum(t for _, t in totals.values())
    print(f"{'total':<{width}}  {passed:>3}/{total:<3}  {100 * passed // max(total, 1):>3}%")
    if failures:
        print("failing:")
        print("\n".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
