"""Renderers: terminal tables now; Markdown and HTML reports with ``harness eval``."""
