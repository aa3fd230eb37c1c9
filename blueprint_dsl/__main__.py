"""`python -m blueprint_dsl` runs the `bpc` command line."""

from .cli.entry import run

if __name__ == "__main__":
    run()
