"""Pandoc Markdown to sanitised, typeset XHTML fragments: the text engine under the layers.

Both the manuscript loader (chapters) and the metadata models (Markdown in book.yaml
values) use it, so it sits below both and imports neither (DESIGN.md section 3).
"""
