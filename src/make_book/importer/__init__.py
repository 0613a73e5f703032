"""``make-book import``: a manuscript tree (book.yaml, chapters/, images/) from a Word file
or an EPUB. Readers (docx_reader, epub_reader) fill one Source; markdown_writer writes its
HTML as Pandoc Markdown; chapters cuts it into files; book_yaml writes the metadata;
command writes the tree in one rename."""
