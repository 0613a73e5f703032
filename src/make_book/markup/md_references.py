"""Pandoc's reference link definitions: ``[label]: <url with spaces> "title" {.class}``.

Python-Markdown's definitions take neither a URL in angle brackets holding spaces nor
attributes after the title (Pandoc's ``link_attributes``); without these a definition
Pandoc reads is printed as text. The attributes are kept per label and given to every
link and image that uses the label.
"""

from __future__ import annotations

import re

from markdown import blockprocessors, inlinepatterns
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder

from make_book.markup import heading_refs
from make_book.markup.md_attributes import apply_attributes


class ReferenceDefinitionProcessor(blockprocessors.ReferenceProcessor):
    RE = re.compile(
        r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?(<[^>\n]*>|[^\s<][^\s]*)[ ]*(?:\n[ ]*)?"
        r"((?:([\"'])(.*)\4|\((.*)\))[ ]*)?(?:\{([^{}\n]*)\})?[ ]*$", re.MULTILINE)

    def run(self, parent, blocks):  # noqa: D102 (Python-Markdown API)
        block = blocks[0]
        for m in self.RE.finditer(block):
            if m.group(7) is not None:
                attrs, _ = get_attrs_and_remainder(m.group(7))
                reference_attributes(self.parser.md)[m.group(1).strip().lower()] = attrs
        return super().run(parent, blocks)


def reference_attributes(md) -> dict[str, list]:
    if not hasattr(md, "mb_reference_attrs"):
        md.mb_reference_attrs = {}
    return md.mb_reference_attrs


def _with_attributes(base: type) -> type:
    """``base`` (a reference link or image pattern) giving its label's attributes to the
    element it makes."""

    class Processor(base):
        def evalId(self, data, index, text):  # noqa: N802 (Python-Markdown API)
            ident, end, handled = super().evalId(data, index, text)
            self._label = ident
            return ident, end, handled

        def handleMatch(self, m, data):  # noqa: N802 (Python-Markdown API)
            self._label = None
            el, start, end = super().handleMatch(m, data)
            attrs = reference_attributes(self.md).get(self._label or "")
            if el is not None and attrs:
                apply_attributes(el, attrs)
            return el, start, end

    Processor.__name__ = f"Attributed{base.__name__}"
    return Processor


class PandocReferencesExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown API)
        md.registerExtension(self)
        self.md = md
        md.parser.blockprocessors.register(
            ReferenceDefinitionProcessor(md.parser), "reference", 15)
        for name, base, pattern, priority in (
            ("reference", heading_refs.FullReferences,
             inlinepatterns.REFERENCE_RE, 170),
            ("image_reference", inlinepatterns.ImageReferenceInlineProcessor,
             inlinepatterns.IMAGE_REFERENCE_RE, 140),
            ("short_reference", heading_refs.ShortReferences,
             inlinepatterns.REFERENCE_RE, 130),
            ("short_image_ref", inlinepatterns.ShortImageReferenceInlineProcessor,
             inlinepatterns.IMAGE_REFERENCE_RE, 125),
        ):
            md.inlinePatterns.register(_with_attributes(base)(pattern, md), name, priority)

    def reset(self) -> None:
        if hasattr(self, "md"):
            self.md.mb_reference_attrs = {}
