"""The skill's rules, one module per theme; importing this package registers them all.

Rules are reported in registration order: the themes in ``THEMES`` order, and within a
theme in the order its module defines them.
"""

import importlib

#: The theme modules, in report order.
THEMES = (
    "layout",
    "dependencies",
    "blocking",
    "sync_db",
    "timestamps",
    "pagination",
    "security",
    "app",
    "orm",
    "partial_updates",
    "settings",
    "deprecations",
    "migrations",
)

for _theme in THEMES:
    importlib.import_module(f"{__name__}.{_theme}")
