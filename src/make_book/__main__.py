"""``python -m make_book``: the same command line as the ``make-book`` script."""

from make_book.entry import main

if __name__ == "__main__":
    main()
