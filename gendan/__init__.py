"""Gendan (跟单): follow every deal from the first lead to the repeat order."""

__version__ = "0.1.0"
