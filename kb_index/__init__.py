"""Whoosh search over knowledge articles (schema, Chinese analysis, indexer, searcher). Knows no UI.

The knowledge base arrives with its own issue; this package is where it lives.
"""
