"""The usage statistics of the instance: calls per API user and errors per code, per day."""

from __future__ import annotations

from flask import Blueprint, Response

from vendorsim.mocks.core.openapi import doc

from . import http

bp = Blueprint("usage", __name__)
STATS = (("usage", 1, "usage"), ("usage/last7days", 7, "usage"),
         ("errors", 1, "errors"), ("errors/last7days", 7, "errors"))


@doc()
def stats(days: int, kind: str) -> Response:
    """API usage or errors of the instance for the last day or seven."""
    http.require("read")
    return http.ok(http.instance().stats(kind, days))


for _rule, _days, _kind in STATS:
    bp.add_url_rule(f"/rest/v1/stats/{_rule}.json", f"stats_{_rule.replace('/', '_')}", stats,
                    methods=["GET"], defaults={"days": _days, "kind": _kind})
