"""Performance benchmark for ``consistency``: ``python3 -m bench.run`` (see bench/README.md)."""
