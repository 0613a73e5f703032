"""House styles: a chain of layout folders behind one jinja2 loader (see DESIGN.md section 4)."""

from make_book.layouts.chain import FontFace, Layout, load_layout

__all__ = ["FontFace", "Layout", "load_layout"]
