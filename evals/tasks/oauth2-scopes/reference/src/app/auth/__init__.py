"""Accounts, OAuth2 password-flow tokens and scope checks."""
