"""bpc's version, in one place below every stage (the package re-exports it)."""

__version__ = "0.1.0"
