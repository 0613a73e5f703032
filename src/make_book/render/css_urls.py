"""URLs a stylesheet would load, read with tinycss2 (WeasyPrint's own CSS tokenizer), so a
layout's CSS copied into the EPUB can be checked for remote resources."""

from __future__ import annotations

from collections.abc import Iterator

import tinycss2


def _walk(tokens) -> Iterator[str]:
    for token in tokens or ():
        if token.type == "url":
            yield token.value
        elif token.type == "function" and token.lower_name == "url":
            for arg in token.arguments:
                if arg.type == "string":
                    yield arg.value
        elif token.type == "at-rule" and token.lower_at_keyword == "import":
            for arg in token.prelude:
                if arg.type == "string":
                    yield arg.value
            yield from _walk(token.prelude)
        for attr in ("prelude", "content", "arguments"):
            if token.type != "at-rule" or attr != "prelude":
                yield from _walk(getattr(token, attr, None) or ())


def css_urls(text: str) -> list[str]:
    return list(dict.fromkeys(_walk(tinycss2.parse_stylesheet(text))))


def remote(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith(("http:", "https:", "ftp:", "//"))
