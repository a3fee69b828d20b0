"""Digests: slow key derivations of documents, and checks against them."""
