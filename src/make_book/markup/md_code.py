"""Pandoc's fenced code blocks (``fenced_code_blocks``, ``backtick_code_blocks``,
``fenced_code_attributes``) and the shape of indented code blocks.

A fence is three or more backticks or tildes; it closes with a line of at least as many of
the same character. The opening fence may carry one word (the language) or attributes::

    ```python                       -> <pre class="python"><code>
    ~~~ {#mycode .haskell .numberLines startFrom=10}
                                    -> <pre id="mycode" class="haskell numberLines"
                                         data-startfrom="10"><code>

This is Pandoc's HTML5 without syntax highlighting (``--syntax-highlighting=none``): a book
sets code in one face, and highlighting markup would be noise in an EPUB. Attribute names
become ``data-`` names in lower case (XHTML forbids upper case there, Pandoc keeps it).

Fences are found on lines, before Python-Markdown splits the text into blocks, because a
code block may hold blank lines and lines that look like raw HTML or Markdown; the code is
stashed as finished HTML and its lines are replaced by the stash's placeholder. A fence
inside a block quote or a list item carries that container's prefix (``> `` or spaces) on
every line; the prefix is removed from the code and kept on the placeholder, so the
container still holds it. A fence may interrupt a paragraph, as in Pandoc. A fence never
closed is no code block (Pandoc reads its lines as text).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

# The quote prefix is possessive (``*+``): a space after ``>`` may be read as the optional
# one or as the next marker's indentation, and backtracking over every way of splitting a
# line of 30 ``> `` took minutes.
OPEN_RE = re.compile(
    r"^(?P<prefix>(?:[ ]{0,3}>[ ]?)*+)(?P<indent>[ ]*)(?P<fence>`{3,}|~{3,})[ \t]*"
    r"(?P<info>\{[^}]*\}|[^\s`{}]+)?[ \t]*$")
LIST_ITEM_RE = re.compile(r"^[ ]*(?:[-+*]|\(?(?:\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+|@[\w-]*)[.)])"
                          r"(?:[ ]+|$)")


def code_attributes(info: str | None) -> list[tuple[str, str]] | None:
    """HTML attributes of a fence's info string, in Pandoc's order (id, class, data-*);
    None when the info string is no attribute block Pandoc accepts (``{=html}`` is a raw
    block, not code)."""
    if not info:
        return []
    if not info.startswith("{"):
        return [("class", info.removeprefix("."))]
    inner = info[1:-1].strip()
    if inner.startswith("="):
        return None
    attrs, remainder = get_attrs_and_remainder(inner)
    if remainder.strip():
        return None
    ident, classes, data = None, [], []
    for key, value in attrs:
        if key in ("#", "id"):
            ident = value
        elif key == ".":
            classes.append(value or "")
        elif key == "class":
            classes.extend((value or "").split())
        elif value is not None:
            data.append(("data-" + key.lower() if key not in ("lang", "dir", "title")
                         else key, value))
    out = [("id", ident)] if ident else []
    if classes:
        out.append(("class", " ".join(classes)))
    return out + data


def code_html(code: str, attrs: list[tuple[str, str]]) -> str:
    attr_text = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs)
    return f"<pre{attr_text}><code>{html.escape(code, quote=False)}</code></pre>"


class FencedCodePreprocessor(Preprocessor):
    """Fenced code -> stashed ``<pre><code>`` (see the module docstring)."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        n = 0
        while n < len(lines):
            m = OPEN_RE.match(lines[n])
            found = self._block(lines, n, m) if m and self._may_open(lines, n, m) else None
            if found is None:
                out.append(lines[n])
                n += 1
                continue
            end, placeholder = found
            prefix = m.group("prefix") + m.group("indent")
            blank = prefix.rstrip()
            if out and out[-1].strip(" >"):
                out.append(blank)
            out.extend([prefix + placeholder, ""])
            n = end + 1
        return out

    def _may_open(self, lines: list[str], n: int, m: re.Match) -> bool:
        """Four spaces of indentation make an indented code block, unless the fence sits
        in a list item's content (the nearest less indented line is an item)."""
        indent = len(m.group("indent"))
        if indent < 4:
            return True
        for line in reversed(lines[:n]):
            stripped = line[len(m.group("prefix")):] if line.startswith(m.group("prefix")) \
                else line
            if not stripped.strip():
                continue
            if len(stripped) - len(stripped.lstrip(" ")) < indent:
                return bool(LIST_ITEM_RE.match(stripped))
        return False

    def _block(self, lines: list[str], n: int, m: re.Match) -> tuple[int, str] | None:
        attrs = code_attributes(m.group("info"))
        if attrs is None:
            return None
        fence = m.group("fence")
        prefix, indent = m.group("prefix"), len(m.group("indent"))
        quote_prefix = prefix.rstrip()
        body: list[str] = []
        for end in range(n + 1, len(lines)):
            line = lines[end]
            if line.startswith(prefix):
                rest = line[len(prefix):]
            elif quote_prefix and line.rstrip() == quote_prefix:
                rest = ""
            elif not prefix:
                rest = line
            else:
                return None  # the container ended before the fence closed
            stripped = rest.lstrip(" ")
            if (stripped.startswith(fence[0] * len(fence))
                    and not stripped.strip().strip(fence[0])):
                code = "\n".join(body)
                return end, self.md.htmlStash.store(code_html(code, attrs))
            body.append(rest[min(indent, len(rest) - len(stripped)):])
        return None


class IndentedCodeShape(Treeprocessor):
    """Python-Markdown ends an indented code block's text with a newline; Pandoc does not,
    and in print the newline would be an empty last line."""

    def run(self, root: ET.Element) -> None:
        for pre in root.iter("pre"):
            code = pre[0] if len(pre) == 1 and pre[0].tag == "code" else None
            if code is not None and code.text and code.text.endswith("\n"):
                code.text = type(code.text)(code.text.rstrip("\n"))
