"""VendorApp's lean request cycle (mocks/core/vendor_app.py, issue 34) behaves as Flask's:
the same URL adapter for any Host, path and query; blueprint hooks, `after_this_request`,
signals and teardown still run whenever something registered them."""

from __future__ import annotations

import io

import pytest
from flask import Blueprint, Flask, after_this_request, request, session
from flask.signals import request_finished, request_started
from hypothesis import example, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BuildError, Map, MapAdapter, Rule

from vendorsim.mocks.core.vendor_app import LazyBuildRule, VendorApp

ADAPTER_FIELDS = ("server_name", "script_name", "subdomain", "url_scheme", "path_info",
                  "default_method", "query_args")


def environ(host: str, path: str = "/x", query: str = "", script: str = "",
            method: str = "GET", scheme: str = "https") -> dict:
    return {"REQUEST_METHOD": method, "SCRIPT_NAME": script, "PATH_INFO": path,
            "QUERY_STRING": query, "SERVER_NAME": "localhost", "SERVER_PORT": "443",
            "HTTP_HOST": host, "wsgi.url_scheme": scheme, "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": io.StringIO(), "SERVER_PROTOCOL": "HTTP/1.1"}


def adapter_of(app: Flask, env: dict) -> tuple:
    """The adapter's fields as the app builds them for this environ, or the HTTP error."""
    req = app.request_class(env)
    try:
        adapter = app.create_url_adapter(req)
    except HTTPException as exc:
        return ("error", type(exc).__name__)
    return tuple(getattr(adapter, name) for name in ADAPTER_FIELDS) + (req.host,)


HOSTS = st.one_of(
    st.sampled_from(["123-ABC-456.mktorest.com", "MCabc.auth.marketingcloudapis.com:443",
                     "api.bombora.com", "127.0.0.1:8443", "[::1]:80", "a..b", "", ":",
                     "x" * 70 + ".com", "bücher.example", "host_name.example.", "a b"]),
    st.text(st.characters(min_codepoint=32, max_codepoint=0x24F), max_size=30))
PATHS = st.one_of(st.sampled_from(["/rest/v1/leads.json", "/", "", "/a%20b", "/\xc3\xa9"]),
                  st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=20))


@settings(max_examples=300, deadline=None)
@given(host=HOSTS, path=PATHS, query=st.text(max_size=10).map(
    lambda q: q.encode().decode("latin-1")), script=st.sampled_from(["", "/123-ABC-456"]),
    scheme=st.sampled_from(["http", "https"]))
def test_the_url_adapter_is_flasks(host: str, path: str, query: str, script: str,
                                   scheme: str) -> None:
    env = environ(host, path, query, script, scheme=scheme)
    assert adapter_of(VendorApp("lean"), dict(env)) == adapter_of(Flask("flask"), dict(env))


def build() -> tuple[VendorApp, list[str]]:
    app = VendorApp("lean")
    seen: list[str] = []
    app.before_request(lambda: seen.append("app before"))
    app.after_request(lambda r: seen.append("app after") or r)
    app.teardown_request(lambda e: seen.append(f"app teardown {type(e).__name__}"))
    hooked = Blueprint("hooked", __name__, url_prefix="/hooked")
    hooked.before_request(lambda: seen.append("bp before"))
    hooked.after_request(lambda r: seen.append("bp after") or r)
    hooked.teardown_request(lambda e: seen.append("bp teardown"))

    @hooked.get("/x")
    def hooked_view() -> str:
        return "hooked"

    @app.get("/plain")
    def plain() -> str:
        @after_this_request
        def later(response: object) -> object:
            seen.append("after this request")
            return response
        return "plain"

    @app.get("/boom")
    def boom() -> str:
        raise ValueError("boom")

    @app.get("/session")
    def write_session() -> str:
        session["x"] = 1
        return "written"

    app.register_blueprint(hooked)
    app.register_error_handler(ValueError, lambda e: ("handled", 500))
    return app, seen


def test_blueprint_hooks_still_run_around_their_views() -> None:
    app, seen = build()
    assert app.test_client().get("/hooked/x").text == "hooked"
    assert seen == ["app before", "bp before", "bp after", "app after", "bp teardown",
                    "app teardown NoneType"]


def test_the_apps_hooks_and_after_this_request_run_on_the_lean_path() -> None:
    app, seen = build()
    assert app.test_client().get("/plain").text == "plain"
    assert seen == ["app before", "after this request", "app after", "app teardown NoneType"]


def test_an_error_reaches_its_handler_and_the_teardown() -> None:
    app, seen = build()
    answer = app.test_client().get("/boom")
    assert (answer.status_code, answer.text) == (500, "handled")
    assert seen == ["app before", "app after", "app teardown NoneType"]


def test_a_session_write_is_refused_as_flask_refuses_it_without_a_secret_key() -> None:
    app, _ = build()
    app.testing = True
    with pytest.raises(RuntimeError, match="secret key"):
        app.test_client().get("/session")


def test_signals_are_sent_when_something_listens() -> None:
    app, _ = build()
    heard: list[str] = []

    def started(sender: object, **_: object) -> None:
        heard.append(f"started {request.path}")

    def finished(sender: object, response: object, **_: object) -> None:
        heard.append("finished")

    with request_started.connected_to(started, app), \
            request_finished.connected_to(finished, app):
        app.test_client().get("/plain")
    assert heard == ["started /plain", "finished"]


def test_urls_built_from_lazily_compiled_rules_are_werkzeugs() -> None:
    """Every vendor's routes build the same URLs (known and unknown arguments) as plain
    werkzeug rules do, though their builders are compiled on first use."""
    from vendorsim.mocks.cloud import Cloud

    cloud = Cloud(clock="virtual")
    checked = 0
    for name in cloud.services:
        rules = [r for r in cloud.service(name).app.url_map.iter_rules()
                 if not r.rule.startswith("/static")]
        assert rules and all(isinstance(r, LazyBuildRule) for r in rules)
        plain = Map([Rule(r.rule, **r.get_empty_kwargs()) for r in rules])
        lazy_adapter = cloud.service(name).app.url_map.bind("h.example")
        plain_adapter = plain.bind("h.example")
        for rule in rules:
            values = {arg: 7 if "int" in type(rule._converters.get(arg)).__name__.lower()
                      else "a" for arg in rule.arguments}
            for extra in ({}, {"q": "x y"}):
                method = sorted(rule.methods or {"GET"})[0]
                built = [built_url(adapter, rule.endpoint, {**values, **extra}, method)
                         for adapter in (lazy_adapter, plain_adapter)]
                assert built[0] == built[1], rule.rule
                checked += built[0] is not None
    assert checked > 500  # most routes built a URL


def built_url(adapter: MapAdapter, endpoint: str, values: dict, method: str) -> str | None:
    try:
        return adapter.build(endpoint, values, method=method)
    except BuildError:  # values the rule's converters refuse: refused by both, or a failure
        return None


class _Trickle(io.BytesIO):
    """An input that hands out at most three bytes a read (a socket-like server's input)."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(3 if size is None or size < 0 else min(size, 3))


class _Overread(io.BytesIO):
    """An input that hands out more than it is asked for (werkzeug caps it at the length)."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(-1 if size is None or size < 0 else size + 2)


INPUTS = {"plain": io.BytesIO, "trickle": _Trickle, "overread": _Overread,
          "buffered": lambda body: io.BufferedReader(io.BytesIO(body))}  # a server's file
READS = {  # what a view may do with the body, by name (so that a failing case reads plainly)
    "get_data": lambda r: r.get_data(),
    "get_data(as_text)": lambda r: r.get_data(as_text=True),
    "get_data(cache=False)": lambda r: r.get_data(cache=False),
    "get_data(parse_form_data)": lambda r: r.get_data(parse_form_data=True),
    "data": lambda r: r.data,
    "form": lambda r: r.form.to_dict(flat=False),
    "stream.read": lambda r: r.stream.read(),
}


def _read_body(request_class: type, env: dict, limit: int | None, reads: list[str]) -> tuple:
    """What the app's request reads of the body, in order, or the HTTP error it raises."""
    app = Flask("bodies") if request_class is Flask.request_class else VendorApp("bodies")
    app.config["MAX_CONTENT_LENGTH"] = limit
    out: list = []
    with app.request_context({**environ("api.example.com", method="POST"), **env}):
        req = request._get_current_object()  # type: ignore[attr-defined]  # the request itself
        for name in reads:
            try:
                out.append(READS[name](req))
            except HTTPException as exc:
                out.append(("error", exc.code))
    return tuple(out)


def _case(body: bytes = b"a=1&b=2", length: str | int | None = "exact",
          given_by: str = "plain", reads: tuple[str, ...] = ("get_data",),
          mimetype: str = "application/x-www-form-urlencoded",
          terminated: bool = False) -> dict:
    """A case the generated ones may take long to reach (each once seen to differ)."""
    return {"body": body, "length": length, "terminated": terminated, "chunked": False,
            "given_by": given_by, "limit": None, "reads": list(reads), "mimetype": mimetype}


@settings(max_examples=400, deadline=None)
@example(**_case(b"0123456789", -2, "overread", mimetype="application/json"))
@example(**_case(reads=("data", "form")))
@example(**_case(reads=("get_data(parse_form_data)",)))
@example(**_case(reads=("get_data", "stream.read")))
@example(**_case(b"0123", given_by="trickle", reads=("get_data", "stream.read"), terminated=True))
@example(**_case(length="9" * 17, given_by="buffered"))  # read in pieces, not at once
@given(body=st.binary(max_size=40),
       length=st.one_of(st.sampled_from(["exact", "exact", "exact"]), st.none(),
                        st.integers(-3, 3), st.sampled_from(["", " 5", "+5", "-1", "007", "x",
                                                             "٣", "9" * 17, "9" * 20])),
       terminated=st.booleans(), chunked=st.booleans(), given_by=st.sampled_from(list(INPUTS)),
       limit=st.one_of(st.none(), st.integers(0, 50)),
       reads=st.lists(st.sampled_from(list(READS)), min_size=1, max_size=4),
       mimetype=st.sampled_from(["application/json", "application/x-www-form-urlencoded"]))
def test_a_body_reads_as_werkzeug_reads_it(body: bytes, length: str | int | None,
                                            terminated: bool, chunked: bool, given_by: str,
                                            limit: int | None, reads: list[str],
                                            mimetype: str) -> None:
    """VendorRequest's own read of a body of known length gives what werkzeug's gives: the
    same bytes, text, form and stream, or the same 400/413, whatever the length says, however
    the input hands the bytes out, and whatever a view reads first."""
    def env() -> dict:
        made = {"wsgi.input": INPUTS[given_by](body), "CONTENT_TYPE": mimetype}
        if length is not None:  # the body's length, a few bytes off it, or something odd
            made["CONTENT_LENGTH"] = str(len(body) + (0 if length == "exact" else length)) \
                if isinstance(length, int) or length == "exact" else length
        if terminated:
            made["wsgi.input_terminated"] = True
        if chunked:
            made["HTTP_TRANSFER_ENCODING"] = "chunked"
        return made

    assert _read_body(VendorApp.request_class, env(), limit, reads) == \
        _read_body(Flask.request_class, env(), limit, reads)


def test_a_body_limit_is_the_requests_own_then_the_apps() -> None:
    """`max_content_length` as Flask has it: one set on the request wins over the app's."""
    app = VendorApp("limits")
    app.config["MAX_CONTENT_LENGTH"] = 100
    body = {"wsgi.input": io.BytesIO(b"0123456789"), "CONTENT_LENGTH": "10"}
    with app.request_context({**environ("api.example.com", method="POST"), **body}):
        assert request.max_content_length == 100
        request.max_content_length = 5
        with pytest.raises(HTTPException) as refused:
            request.get_data()
        assert refused.value.code == 413
    app.config["MAX_CONTENT_LENGTH"] = 8
    body["wsgi.input"] = io.BytesIO(b"0123456789")
    with app.request_context({**environ("api.example.com", method="POST"), **body}):
        with pytest.raises(HTTPException) as refused:
            request.get_data()
        assert refused.value.code == 413
