"""``python -m make_book``: the same command line as the ``make-book`` script."""

from make_book.cli import app

if __name__ == "__main__":
    app(prog_name="make-book")
