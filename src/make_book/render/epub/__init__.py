"""EPUB: the package (ebooklib), its XHTML, navigation and index."""
