"""OpenAPI 3 descriptions generated from the mocks' own route tables.

Each vendor's Flask app knows its routes (path, methods, path-parameter types); the view
functions carry the rest in a small `@doc(...)` note written beside the route (its query
parameters and its body kind), and their docstring's first line is the summary. Nothing is
described twice: add a route and it appears here. Served at `/__admin/openapi.json` on every
vendor host (the vendor's API and the admin API); the fuzz tests read the same documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

BODY_KINDS: dict[str, dict[str, dict[str, Any]]] = {
    "json": {"application/json": {"schema": {}}},
    "form": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}},
    "csv": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    "xml": {"text/xml": {"schema": {"type": "string"}}},  # SOAP: the WSDL is its contract
    "multipart": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {"file": {"type": "string", "format": "binary"},
                                         "format": {"type": "string"}}}}},
}
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def doc(*, query: Iterable[str] = (), body: str | None = None, summary: str | None = None,
        auth: bool = True, examples: Iterable[object] = ()) -> Callable:
    """Note what the route table cannot know: query parameter names, the body kind
    ("json", "form", "csv", "multipart"), whether a token is needed, example bodies (shown in the
    document; the fuzz tests mutate them)."""
    if body is not None and body not in BODY_KINDS:
        raise ValueError(f"body kind {body!r}: one of {sorted(BODY_KINDS)}")

    def mark(view: Callable) -> Callable:
        view.__vendorsim_doc__ = {  # type: ignore[attr-defined]  # the route's notes ride on the view
            "query": tuple(query), "body": body, "summary": summary, "auth": auth,
            "examples": list(examples)}
        return view

    return mark


def _path(rule: str) -> tuple[str, list[dict]]:
    params = []
    for m in CONVERTER.finditer(rule):
        kind = m.group("kind") or "string"
        schema: dict[str, Any] = {"type": "integer"} if kind == "int" else {"type": "string"}
        params.append({"name": m.group("name"), "in": "path", "required": True,
                       "schema": schema})
    return CONVERTER.sub(lambda m: "{" + m.group("name") + "}", rule), params


TEXT = {"type": "string"}
ADMIN_ANSWERS: dict[str, dict[str, dict]] = {  # vendorsim's own API
    "2XX": {"application/json": {}, "text/html": TEXT, "text/plain": TEXT, "text/xml": TEXT},
    "4XX": {"application/json": {"type": "object", "required": ["error"],
                                 "properties": {"error": {"type": "string"}}}},
}


def responses(answers: dict[str, dict[str, dict]], what: str) -> dict:
    """OpenAPI responses from a table of status ranges -> content type -> schema."""
    return {status: {"description": f"{what}: {status}",
                     "content": {kind: {"schema": schema} for kind, schema in media.items()}}
            for status, media in answers.items()}


def describe(app: Flask, *, title: str, description: str, tags: dict[str, str],
             bearer: bool = True, answers: dict[str, dict[str, dict]] | None = None) -> dict:
    """The OpenAPI 3.0 document of a Flask app's routes. `tags` maps a path prefix to the tag
    its operations get (e.g. "/__admin" -> "admin"); `answers`, the vendor's answers by status
    range and content type (its envelope, success and error shapes), the admin API's its own."""
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        note = getattr(view, "__vendorsim_doc__", {})
        path, params = _path(rule.rule)
        tag = next((t for prefix, t in tags.items() if rule.rule.startswith(prefix)), "api")
        summary = note.get("summary") or (view.__doc__ or rule.endpoint).strip().split("\n")[0]
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            operation: dict[str, Any] = {
                "operationId": f"{method.lower()}_{rule.endpoint.replace('.', '_')}",
                "summary": summary, "tags": [tag],
                "parameters": params + [{"name": q, "in": "query", "required": False,
                                         "schema": {"type": "string"}}
                                        for q in note.get("query", ())],
                "responses": _refs("admin" if tag == "admin" or answers is None else "vendor",
                                   ADMIN_ANSWERS if tag == "admin" or answers is None
                                   else answers)}
            body = note.get("body") or ("json" if method in ("POST", "PUT", "PATCH") else None)
            if body:
                content = {kind: dict(media) for kind, media in BODY_KINDS[body].items()}
                if note.get("examples") and body == "json":
                    content["application/json"]["examples"] = {
                        f"example{n}": {"value": v} for n, v in enumerate(note["examples"])}
                operation["requestBody"] = {"required": False, "content": content}
            if bearer and note.get("auth", tag != "admin"):
                operation["security"] = [{"bearer": []}]
            paths.setdefault(path, {})[method.lower()] = operation
    document: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": title, "version": _version(), "description": description},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            # each answer shape written once and referenced: Marketo's 400+ operations would
            # otherwise repeat its envelope in each (over 1 MB, past MCP clients' event limit)
            "responses": {
                **_named("admin", responses(ADMIN_ANSWERS, "the admin API's answer")),
                **(_named("vendor", responses(answers, "the vendor's answer, in its own envelope"))
                   if answers is not None else {})}},
    }
    return document


def _named(owner: str, table: dict) -> dict:
    return {f"{owner}_{status}": answer for status, answer in table.items()}


def _refs(owner: str, answers: dict[str, dict[str, dict]]) -> dict:
    return {status: {"$ref": f"#/components/responses/{owner}_{status}"} for status in answers}


def _version() -> str:
    from vendorsim import __version__

    return __version__
