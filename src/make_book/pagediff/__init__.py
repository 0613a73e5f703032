"""The page diff of two print PDFs (a release and its reprint): which pages moved, which
pages' text or drawing changed, images of the changed pages, and a report."""
