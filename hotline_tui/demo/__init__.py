"""Deterministic demo data for a fictional city."""
