"""Benchmarks (not part of the package). ``make bench`` runs ``python -m bench``."""
