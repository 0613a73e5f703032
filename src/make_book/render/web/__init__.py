"""The web edition (``--format web``): a static site per book; see site.py."""

from make_book.render.web.site import Site, render_web

__all__ = ["Site", "render_web"]
