"""WSGI middleware for Marketo's `_method` convention: a POST with `_method=GET` (or
`_method=DELETE`) in its query or form body is the read (or delete) it names, its form body
becoming the query (for URIs that would be too long)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl

from ..facts import MAX_BODY


class MethodOverride:
    """WSGI middleware: honour `_method` from the query or a form body of a POST."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "POST":
            self._override(environ)
        return self.app(environ, start_response)

    @staticmethod
    def _override(environ: dict) -> None:
        query = environ.get("QUERY_STRING", "")
        if "_method=" in query:
            pairs = parse_qsl(query, keep_blank_values=True)
            method = next((v for k, v in pairs if k == "_method"), "").upper()
            if method in ("GET", "DELETE"):
                environ["REQUEST_METHOD"] = method
                environ["vendorsim.method_override"] = method
            return
        ctype = environ.get("CONTENT_TYPE", "")
        if not ctype.startswith("application/x-www-form-urlencoded"):
            return
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return
        if not 0 < length <= MAX_BODY:
            return  # the pipeline answers 413 for oversized bodies
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        if b"_method=" not in body:
            return
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
        method = next((v for k, v in pairs if k == "_method"), "").upper()
        if method not in ("GET", "DELETE"):
            return
        # the form body becomes the query; the request is now a bodiless GET/DELETE
        rest = body.decode("latin-1")
        environ["QUERY_STRING"] = f"{query}&{rest}" if query else rest
        environ["REQUEST_METHOD"] = method
        environ["CONTENT_LENGTH"] = "0"
        environ["CONTENT_TYPE"] = ""
        environ["wsgi.input"] = io.BytesIO(b"")
        environ["vendorsim.method_override"] = method
