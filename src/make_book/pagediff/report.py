"""The page diff's report (Markdown): the page counts, then each page that moved, changed,
was added or removed, with its word changes and its side-by-side image."""

from __future__ import annotations

from collections.abc import Callable

from make_book.pagediff.compare import PageDiff, PagePair


def _code(text: str) -> str:
    """Text in a code span that holds it whatever backticks it has; '(none)' for none."""
    if not text:
        return "(none)"
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _short(text: str, words: int = 8) -> str:
    """A long run of words that only moved, by its first and last words."""
    split = text.split()
    if len(split) <= 2 * words:
        return text
    return " ".join(split[:words]) + " ... " + " ".join(split[-words:])


def summary_lines(result: PageDiff) -> list[str]:
    """The findings in a few lines: also what the command prints."""
    lines = []
    if result.old_pages != result.new_pages:
        lines.append(f"The page count changed: {result.old_pages} -> {result.new_pages} "
                     "pages.")
    else:
        lines.append(f"The page count is the same: {result.new_pages} pages.")
    for kind, words in (("changed", "changed"), ("moved", "moved"), ("added", "added"),
                        ("removed", "removed")):
        pairs = result.of_kind(kind)
        if pairs:
            lines.append(f"{len(pairs)} page(s) {words}: "
                         + ", ".join(p.name for p in pairs) + ".")
    if not result.differences:
        lines.append("No page changed.")
    return lines


def _pair_section(pair: PagePair, image: Callable[[PagePair], str]) -> list[str]:
    what = {"changed": "changed", "moved": "moved (the same text on another page)",
            "added": "added", "removed": "removed"}[pair.kind]
    lines = [f"## {pair.name}: {what}", ""]
    if pair.drawing_only:
        lines += ["The text is the same; what is drawn differs (a figure, a rule, a font).",
                  ""]
    for change in pair.words:
        context = " / ".join(_code(t) for t in (change.before, change.after) if t)
        if change.moved_to and not change.added:
            lines.append(f"- {_code(_short(change.removed))} ran over to {change.moved_to}")
            continue
        if change.moved_from and not change.removed:
            lines.append(f"- {_code(_short(change.added))} ran over from {change.moved_from}")
            continue
        lines.append(f"- was {_code(change.removed)}, now {_code(change.added)}"
                     + (f" (between {context})" if context else ""))
    if pair.words:
        lines.append("")
    if pair.kind != "moved":
        lines += [f"![{pair.name}]({image(pair)})", ""]
    return lines


def report_markdown(result: PageDiff, image: Callable[[PagePair], str]) -> str:
    lines = ["# Page diff", "", f"- old: {result.old.name}", f"- new: {result.new.name}", ""]
    lines += summary_lines(result) + [""]
    for pair in result.differences:
        lines += _pair_section(pair, image)
    return "\n".join(lines)
