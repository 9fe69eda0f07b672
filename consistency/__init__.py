"""consistency: cross-check news articles about one story."""

__version__ = "0.1.0"
