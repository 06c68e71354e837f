"""A vendor's Flask app, with Flask's per-call machinery cut to what the mocks use.

Every call pays for Flask's request cycle before the pipeline does anything: a URL adapter
bound from the environ, a session opened, blueprint chains walked for hooks, signals sent.
The mocks use no sessions, no signals and no blueprint hooks of their own (only the admin
blueprint has some), so `VendorApp` does the same steps with less work, falling back to
Flask's own code whenever a case differs (issue 34: ~20 µs of a ~60 µs bare Flask call):

- no session is opened: every call carries Flask's null session (it refuses writes);
- the URL adapter is built from the environ directly (the same `MapAdapter` that
  `Map.bind_to_environ` builds), for an ordinary host; anything else goes through Flask;
- the app's own hooks run straight from their lists when the call's blueprints have none;
- signals are sent only when something listens to them.

A body is read straight from the WSGI input when its length is known (`VendorRequest`),
with werkzeug's own outcomes (413 over the app's limit, 400 for a body cut short). And a
route's URL builders are compiled on first use (`LazyBuildRule`), which halves the time to
build a vendor's app (once per cloud and vendor: every test that makes a cloud).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import Flask, Request, Response
from flask.ctx import RequestContext
from flask.globals import request_ctx
from flask.sansio.scaffold import _sentinel
from flask.sessions import NullSession
from flask.signals import (
    appcontext_tearing_down,
    request_finished,
    request_started,
    request_tearing_down,
)
from werkzeug._internal import _wsgi_decoding_dance
from werkzeug.exceptions import ClientDisconnected
from werkzeug.routing.map import MapAdapter
from werkzeug.routing.rules import Rule
from werkzeug.wsgi import get_host

from .routing import is_host

_NO_SESSION = NullSession()  # refuses every write, so one serves every call
CHUNK = 64 * 1024  # the most read from a body's input at once (werkzeug's piece)


class LazyBuildRule(Rule):
    """A route whose URL builders are compiled when a URL is first built from it, not when
    the app is made: werkzeug compiles two per rule up front (Python code, through `ast`),
    two thirds of building Marketo's 385-rule app, and the mocks build a URL from a rule
    rarely (an export's result link), so most are never needed."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compiled: Callable[..., tuple[str, str]] | None = None

        def build(rule: Rule, *args: Any, **kwargs: Any) -> tuple[str, str]:
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(self, append_unknown)
            return compiled(rule, *args, **kwargs)

        return build


class VendorRequest(Request):
    """A vendor call's request: `get_data` reads a body of known length straight from the
    WSGI input, where werkzeug would first wrap the input in a length-limited stream and read
    that through it (a fifth of a small call's WSGI work, issue 34). Anything else (a chunked
    body, one over the app's limit, form parsing asked for, a stream already opened or a
    form already parsed, a shallow request) goes through werkzeug."""

    def get_data(self, cache: bool = True, as_text: bool = False,  # type: ignore[override]  # werkzeug's overloads, one body
                 parse_form_data: bool = False) -> bytes | str:
        if cache and not parse_form_data and getattr(self, "_cached_data", None) is None \
                and "stream" not in self.__dict__ and not self.shallow:
            read = self._whole_body()
            if read is not None:  # the body, and the stream as werkzeug would leave it
                self._cached_data, self.__dict__["stream"] = read
        return super().get_data(cache, as_text, parse_form_data)  # type: ignore[call-overload]  # the same arguments

    def _whole_body(self) -> tuple[bytes, Any] | None:
        """The body, read as werkzeug would read it, and `stream` as werkzeug would leave it
        (None: leave both to werkzeug)."""
        environ = self.environ
        length = environ.get("CONTENT_LENGTH")
        if not length or not length.isascii() or not length.isdigit() or \
                "HTTP_TRANSFER_ENCODING" in environ or len(length) > 18:
            return None
        size = int(length)
        stream = environ["wsgi.input"]
        terminated = "wsgi.input_terminated" in environ  # the server ends the stream
        limit = self.max_content_length
        if limit is not None and (size > limit or terminated):
            return None  # werkzeug's 413, or its reading under a maximum
        if terminated:
            return stream.read(), stream  # werkzeug's stream is the input itself, read once
        parts = []
        try:
            while size > 0:  # in pieces, as werkzeug does: a length is only a claim
                part = stream.read(min(size, CHUNK))[:size]
                if not part:
                    raise ClientDisconnected()  # the body ended before its length
                parts.append(part)
                size -= len(part)
        except (OSError, ValueError):
            raise ClientDisconnected() from None
        return b"".join(parts), io.BytesIO()  # werkzeug's: read to its length, then empty


class VendorApp(Flask):
    """A vendor's Flask app: every view and hook here is synchronous, so Flask's check of
    each function for a coroutine, per call, is skipped; the request cycle is Flask's with
    the steps the mocks never use left out (module docstring)."""

    url_rule_class = LazyBuildRule
    request_class = VendorRequest

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lean_endpoints: dict[str | None, bool] = {}  # see `_lean`

    def ensure_sync(self, func: Callable) -> Callable:
        return func

    def request_context(self, environ: dict) -> RequestContext:
        return RequestContext(self, environ, session=_NO_SESSION)

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        config = self.config
        if request is None or config["SERVER_NAME"] is not None or \
                config["TRUSTED_HOSTS"] is not None or self.url_map.host_matching or \
                self.subdomain_matching:
            return super().create_url_adapter(request)
        environ = request.environ
        host = get_host(environ)
        if not host.isascii() or not is_host(host) or "HTTP_UPGRADE" in environ:
            return super().create_url_adapter(request)  # Flask's BadHost, websockets
        request.host = host  # as Flask sets it
        script_name = environ.get("SCRIPT_NAME")
        path_info = environ.get("PATH_INFO")
        query = environ.get("QUERY_STRING")
        return MapAdapter(
            self.url_map, host.lower(),
            "/" if script_name is None else _wsgi_decoding_dance(script_name),
            self.url_map.default_subdomain or "", environ["wsgi.url_scheme"],
            "/" if path_info is None else _wsgi_decoding_dance(path_info),
            environ["REQUEST_METHOD"],
            None if query is None else _wsgi_decoding_dance(query))

    def _lean(self, ctx: RequestContext) -> bool:
        """Whether this call's hooks are the app's own only: no blueprint of the call's
        endpoint has hooks, and no URL value preprocessor is registered (worked out once per
        endpoint, and kept on the call's context for the steps that ask again)."""
        lean: bool | None = getattr(ctx, "vendorsim_lean", None)
        if lean is not None:
            return lean
        rule = ctx.request.url_rule
        endpoint = rule.endpoint if rule is not None else None
        lean = self._lean_endpoints.get(endpoint)
        if lean is None:
            tables = (self.before_request_funcs, self.after_request_funcs,
                      self.teardown_request_funcs, self.url_value_preprocessors)
            hooked = {name for table in tables for name in table if name is not None}
            lean = not self.url_value_preprocessors.get(None) and (
                rule is None or not hooked.intersection(ctx.request.blueprints))
            self._lean_endpoints[endpoint] = lean
        ctx.vendorsim_lean = lean  # type: ignore[attr-defined]  # vendorsim's own, per call
        return lean

    def full_dispatch_request(self) -> Response:
        if not self._lean(request_ctx._get_current_object()):  # type: ignore[attr-defined]  # the context itself
            return super().full_dispatch_request()
        self._got_first_request = True
        try:
            if request_started.receivers:
                request_started.send(self, _async_wrapper=self.ensure_sync)
            rv: Any = None
            for before in self.before_request_funcs.get(None, ()):
                rv = before()
                if rv is not None:
                    break
            if rv is None:
                rv = self.dispatch_request()
        except Exception as e:
            rv = self.handle_user_exception(e)
        return self.finalize_request(rv)

    def process_response(self, response: Response) -> Response:
        ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]  # once, not per use
        if ctx._after_request_functions or not isinstance(ctx._session, NullSession) or \
                not self._lean(ctx):
            return super().process_response(response)
        for after in reversed(self.after_request_funcs.get(None, ())):
            response = after(response)
        return response

    def finalize_request(self, rv: Any, from_error_handler: bool = False) -> Response:
        if request_finished.receivers:
            return super().finalize_request(rv, from_error_handler)
        response = self.make_response(rv)
        try:
            return self.process_response(response)
        except Exception:
            if not from_error_handler:
                raise
            self.logger.exception(
                "Request finalizing failed with an error while handling an error")
        return response

    def do_teardown_request(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]  # Flask's own default
        if exc is _sentinel or request_tearing_down.receivers or \
                not self._lean(request_ctx._get_current_object()):  # type: ignore[attr-defined]  # the context itself
            super().do_teardown_request(exc)
            return
        for teardown in reversed(self.teardown_request_funcs.get(None, ())):
            teardown(exc)

    def do_teardown_appcontext(self, exc: BaseException | None = _sentinel) -> None:  # type: ignore[assignment]  # Flask's own default
        if exc is _sentinel or self.teardown_appcontext_funcs or \
                appcontext_tearing_down.receivers:
            super().do_teardown_appcontext(exc)
