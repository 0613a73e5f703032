"""Generate a long synthetic manuscript (default 120,000 words, a note every few paragraphs)."""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = ("the workers of the mill met again at the river school and spoke of wages hours "
         "bread committee strike council factory town winter letters history method "
         "evidence archive document witness memory meeting newspaper railway station "
         "Müller Vetrova Ivanov Leipzig Samara cooperative").split()


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(root: Path, words: int = 120_000, chapters: int = 40, seed: int = 1) -> int:
    rng = random.Random(seed)
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "book.yaml").write_text(
        "title: A Generated History\nauthor: Bench Mark\nlang: en-GB\ndate: 2024-01-01\n"
        "publisher: Northfield Press\n", encoding="utf-8")
    per_chapter = words // chapters
    total = 0
    for c in range(1, chapters + 1):
        lines = [f"# Chapter {c}: On the {rng.choice(WORDS)} {{#chapter-{c}}}", ""]
        written, notes, n = 0, [], 0
        while written < per_chapter:
            size = rng.randint(60, 140)
            text = paragraph(rng, size)
            if rng.random() < 0.3:
                n += 1
                text += f"[^c{c}n{n}]"
                notes.append(f"[^c{c}n{n}]: {paragraph(rng, rng.randint(10, 40))}")
            if rng.random() < 0.05:
                lines += [f"## Section {n} on {rng.choice(WORDS)}", ""]
            lines += [text, ""]
            written += size
        lines += notes
        (root / "chapters" / f"{c:03d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        total += written
    return total


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--words", type=int, default=120_000)
    parser.add_argument("--chapters", type=int, default=40)
    args = parser.parse_args()
    print(generate(args.out, args.words, args.chapters), "words")
