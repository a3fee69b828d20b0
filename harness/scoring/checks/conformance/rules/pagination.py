"""List endpoints are paginated."""

from __future__ import annotations

import ast

from harness.scoring.checks.conformance.index import (
    ProjectIndex,
    Route,
    finding,
    keyword,
    routes,
)
from harness.scoring.checks.conformance.registry import Outcome, rule

_PAGE_PARAMS = frozenset(
    {
        "limit",
        "offset",
        "skip",
        "page",
        "page_size",
        "per_page",
        "size",
        "cursor",
        "after",
    }
)
_PAGE_HINTS = ("page", "pagina", "paging", "cursor")
_LIST_TYPES = frozenset({"list", "List", "Sequence", "Iterable", "tuple", "set"})


def _returns_list(route: Route) -> bool:
    candidates = [route.function.returns, keyword(route.decorator, "response_model")]
    for annotation in candidates:
        if annotation is None:
            continue
        base = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
        if name in _LIST_TYPES and isinstance(annotation, ast.Subscript):
            return True
    return False


def _returns_page(route: Route) -> bool:
    returned = route.function.returns or keyword(route.decorator, "response_model")
    return returned is not None and "page" in ast.unparse(returned).lower()


def _paginated(route: Route) -> bool:
    arguments = route.function.args
    for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
        if arg.arg in _PAGE_PARAMS:
            return True
        text = ast.unparse(arg.annotation).lower() if arg.annotation else ""
        if any(hint in text for hint in _PAGE_HINTS):
            return True
    return False


@rule("paginated-lists")
def rule_paginated_lists(index: ProjectIndex) -> Outcome:
    """GET routes that return a list take pagination parameters."""
    gets = [r for r in routes(index) if r.method == "get"]
    lists = [r for r in gets if _returns_list(r)]
    collections = lists + [r for r in gets if _returns_page(r) or _paginated(r)]
    findings = [
        finding(
            "paginated-lists",
            route.file,
            route.function,
            f"GET {route.path or '?'} ({route.function.name}) returns a list without "
            "pagination: take limit (with a maximum) and offset, or a cursor",
        )
        for route in lists
        if not _paginated(route)
    ]
    return Outcome(applicable=bool(collections), findings=findings)
