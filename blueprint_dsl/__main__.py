"""`python -m blueprint_dsl` runs the `bpc` command line."""

from .cli import main

if __name__ == "__main__":
    main()
