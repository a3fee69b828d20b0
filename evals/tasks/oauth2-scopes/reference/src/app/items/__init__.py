"""Stockroom items."""
