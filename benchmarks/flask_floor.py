"""What Flask itself costs a call, in-process: a trivial JSON view under Flask against a bare
WSGI callable giving the same bytes, each called through the WSGI interface with the same
environ (process time per call, three rounds). The simulator's day at quota is measured
against a bare WSGI callable; this says how much of the gap is the framework alone.

    python benchmarks/flask_floor.py [--calls 50000]
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable

from flask import Flask, jsonify

BODY = b'{"success":true,"result":[{"id":1,"status":"created"}]}'


def flask_app() -> Flask:
    app = Flask("floor")

    @app.post("/rest/v1/leads.json")
    def leads():  # type: ignore[no-untyped-def]
        return jsonify(success=True, result=[{"id": 1, "status": "created"}])

    return app


def bare(environ: dict, start_response: Callable) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "application/json")])
    return [BODY]


def environ() -> dict:
    return {"REQUEST_METHOD": "POST", "PATH_INFO": "/rest/v1/leads.json", "SERVER_NAME": "x",
            "SERVER_PORT": "443", "wsgi.url_scheme": "https", "wsgi.input": io.BytesIO(b"{}"),
            "CONTENT_LENGTH": "2", "CONTENT_TYPE": "application/json",
            "HTTP_HOST": "123-abc-456.mktorest.com", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.errors": io.StringIO()}


def per_call(app: Callable, calls: int) -> float:
    """Microseconds of process time a call."""
    start = time.process_time()
    for _ in range(calls):
        b"".join(app(environ(), lambda status, headers, exc=None: None))
    return (time.process_time() - start) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50_000)
    args = parser.parse_args()
    app = flask_app().wsgi_app
    for _ in range(3):
        print(f"bare WSGI {per_call(bare, args.calls):.1f} us a call, "
              f"Flask {per_call(app, args.calls):.1f} us a call")


if __name__ == "__main__":
    main()
