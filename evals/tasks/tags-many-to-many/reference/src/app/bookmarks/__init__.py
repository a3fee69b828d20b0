"""Bookmarks and the tags they share."""
