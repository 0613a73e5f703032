"""Pandoc's raw content: a code span followed by ``{=html}``, fenced ``{=format}``
blocks and TeX commands (``raw_attribute``, ``raw_tex``), and code spans followed by
``{.lang #id}`` (``inline_code_attributes``, whose braces are read in the same place).

Raw HTML reaches the sanitizer like any raw HTML; raw text for any other format, and TeX
commands, are dropped as Pandoc's HTML writer drops them, each recorded as a :class:`Report`
(``md.mb_reports``) that the chapter loader turns into a warning with the source line.
"""

from __future__ import annotations

import re
import typing
import xml.etree.ElementTree as ET

from markdown import util
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

from make_book.markup.md_attributes import apply_attributes, is_attribute_list
from make_book.markup.md_scan import escaped


class Report(typing.NamedTuple):
    """Something the Markdown reader dropped or could not read: ``snippet`` is source text
    that finds its line."""

    code: str
    message: str
    snippet: str
    hint: str | None = None


def reports(md) -> list[Report]:
    """The reports list of a parser (created on first use, cleared by ``md.reset()``)."""
    if not hasattr(md, "mb_reports"):
        md.mb_reports = []
    return md.mb_reports


HTML_FORMATS = frozenset({"html", "html5", "html4", "xhtml"})  # Pandoc's HTML writers' names


class AttributedCodeProcessor(InlineProcessor):
    """A code span followed by ``{attributes}`` or ``{=format}`` (Pandoc's
    inline_code_attributes and raw_attribute); a plain code span is left to ``backtick``.
    The span ends at the first run of as many backticks (as ``backtick`` reads it)."""

    PATTERN = r"(?<![\\`])(`+)(?!`)"

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        ticks = m.group(1)
        closer = re.compile(r"(?<!`)" + ticks + r"(?!`)").search(data, m.end(0))
        if closer is None or not data.startswith("{", closer.end()):
            return None, None, None
        brace = data.find("}", closer.end())
        if brace < 0 or "\n" in data[closer.end():brace]:
            return None, None, None
        end = brace + 1
        code, spec = data[m.end(0):closer.start()], data[closer.end() + 1:brace].strip()
        if len(code) > 1 and code[0] == code[-1] == " " and code.strip():
            code = code[1:-1]  # one space each side lets the code start or end with `
        if spec.startswith("="):
            fmt = spec[1:].strip().lower()
            if fmt in HTML_FORMATS:
                return self.md.htmlStash.store(code), m.start(0), end
            reports(self.md).append(Report(
                "C102", f"raw {fmt} text dropped: only raw HTML reaches the book",
                data[m.start(0):end][:60], "write it in Markdown or HTML, or remove it"))
            return "", m.start(0), end
        attrs, remainder = get_attrs_and_remainder(spec)
        if remainder.strip() or not attrs or not is_attribute_list(spec):
            return None, None, None
        el = ET.Element("code")
        el.text = util.AtomicString(util.code_escape(code))
        apply_attributes(el, attrs)
        return el, m.start(0), end


RAW_FENCE_RE = re.compile(
    r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*\{\s*=(?P<fmt>[\w-]+)\s*\}\s*$")
CODE_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def raw_blocks(md, lines: list[str]) -> list[str]:
    """Fenced ``{=format}`` blocks: HTML is stashed as a raw block (the sanitizer checks it
    later); any other format is dropped, with a report. Other code fences are skipped whole
    so a raw-looking fence inside them stays code."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        raw = RAW_FENCE_RE.match(line)
        fence = CODE_FENCE_RE.match(line)
        if not raw and not fence:
            out.append(line)
            i += 1
            continue
        marker = (raw.group("fence") if raw else fence.group(1))
        end = next((j for j in range(i + 1, len(lines))
                    if re.match(r" {0,3}" + re.escape(marker[0]) + "{%d,}\\s*$" % len(marker),
                                lines[j])), len(lines))
        if not raw:
            out.extend(lines[i:end + 1])
            i = end + 1
            continue
        body = "\n".join(lines[i + 1:end])
        fmt = raw.group("fmt").lower()
        if fmt in HTML_FORMATS:
            # the empty comment makes Python-Markdown place the HTML as a block, not in a
            # <p>, whatever its first tag (Pandoc copies it as is); the sanitizer drops it
            out.extend(["", md.htmlStash.store("<!---->" + body), ""])
        else:
            reports(md).append(Report(
                "C102", f"raw {fmt} block dropped: only raw HTML reaches the book",
                line.strip(), "write it in Markdown or HTML, or remove it"))
            out.append("")
        i = end + 1
    return out


# Pandoc's raw_tex: a TeX command (letters after a backslash, with its [options] and
# {arguments}) is raw LaTeX, which its HTML writer drops.
RAW_TEX_RE = r"\\[A-Za-z]+\*?(?:\[[^\]\n]*\]|\{(?:[^{}\n]|\{[^{}\n]*\})*\})*"


class RawTexProcessor(InlineProcessor):
    r"""Drops ``\command{...}`` as Pandoc does, with a report: printed as typed it would be
    a stray backslash, and silently dropped text is worse."""

    def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
        if escaped(data, m.start(0)):
            return None, None, None
        reports(self.md).append(Report(
            "C103", f"TeX command {m.group(0)[:40]} dropped, as Pandoc drops raw TeX from "
            "HTML", m.group(0)[:40], "to print the backslash, escape it: \\\\"))
        return "", m.start(0), m.end(0)


class RawBlockPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return raw_blocks(self.md, lines)
