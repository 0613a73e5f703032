"""A book's changes between two releases: the git history of its folder as CHANGES.md."""
