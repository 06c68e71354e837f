"""`vendorsim record`: a recording proxy on 127.0.0.1. A client pointed at it reaches the real
vendor (`--upstream`), and every exchange goes into a cassette, secrets masked.

The vendors hand out other hosts in their answers (SFMC's `rest_instance_url` and
`soap_instance_url`, Marketo's bulk file links): the proxy rewrites every vendor URL in an
answer to itself (`/__host/{host}/...`), so the client's next calls come back through it too,
and records them under their real URLs.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

import requests
from waitress.server import create_server

from vendorsim.mocks.server import begin_stop, run_loop

from .cassette import Interaction, write_cassette

VENDOR_URL = re.compile(r"https?://([a-z0-9.-]+\.(?:marketingcloudapis\.com|mktorest\.com|"
                        r"bombora\.com|demandbase\.com))", re.I)
HOP_HEADERS = {"host", "content-length", "connection", "transfer-encoding", "keep-alive",
               "accept-encoding"}
SENT_BACK_SKIPPED = {"content-length", "transfer-encoding", "connection", "content-encoding"}


class RecordingProxy:
    """The WSGI app of the proxy: forward, answer, record (one cassette file, rewritten
    atomically after every exchange, so a killed recorder leaves a readable cassette)."""

    def __init__(self, upstream: str, cassette: Path) -> None:
        self.upstream = upstream.rstrip("/")
        self.cassette = cassette
        self.interactions: list[Interaction] = []
        self.http = requests.Session()
        self.http.trust_env = False
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        query = environ.get("QUERY_STRING", "")
        if path.startswith("/__host/"):
            host, _, rest = path[len("/__host/"):].partition("/")
            target = f"https://{host}/{rest}"
        else:
            target = self.upstream + path
        target += f"?{query}" if query else ""
        headers = {key[5:].replace("_", "-").title(): value for key, value in environ.items()
                   if key.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        headers = {k: v for k, v in headers.items() if k.lower() not in HOP_HEADERS}
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            answer = self.http.request(method, target, headers=headers, data=body,
                                       allow_redirects=False, timeout=(10, 120))
        except requests.RequestException as exc:
            start_response("502 Bad Gateway", [("Content-Type", "text/plain")])
            return [f"vendorsim record: the upstream did not answer: {exc}".encode()]
        text = answer.content.decode("utf-8", "replace")
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        shown = self._rewrite(text, own)
        self._record(Interaction(method, target, headers, body.decode("utf-8", "replace"),
                                 answer.status_code, dict(answer.headers), text))
        start_response(f"{answer.status_code} {answer.reason or ''}".strip(),
                       [(k, v) for k, v in answer.headers.items()
                        if k.lower() not in SENT_BACK_SKIPPED])
        return [shown.encode()]

    def _rewrite(self, text: str, own: str) -> str:
        """Vendor URLs (and the upstream's own) in an answer point back at the proxy."""
        text = VENDOR_URL.sub(lambda m: f"{own}/__host/{m.group(1)}", text)
        upstream = urlsplit(self.upstream)
        return text.replace(f"{upstream.scheme}://{upstream.netloc}", own) \
            if upstream.netloc else text

    def _record(self, item: Interaction) -> None:
        with self._lock:
            self.interactions.append(item)
            write_cassette(self.cassette, self.interactions)
            with contextlib.suppress(OSError):
                os.chmod(self.cassette, 0o600)  # a cassette is the user's, not the machine's


class Recorder:
    """The proxy served on 127.0.0.1 (port 0: a free one) until `stop()`."""

    def __init__(self, upstream: str, out_dir: Path, vendor: str, port: int = 0) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        self.cassette = out_dir / f"{vendor}-{stamp}.yaml"
        self.proxy = RecordingProxy(upstream, self.cassette)
        self.server = create_server(self.proxy, host="127.0.0.1", port=port, threads=8,
                                    ident="vendorsim-record")
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=run_loop, args=(self.server,), daemon=True,
                                       name="vendorsim-record")

    def start(self) -> Recorder:
        self.thread.start()
        return self

    def stop(self) -> None:
        begin_stop(self.server)
        self.thread.join(timeout=2)

    def __enter__(self) -> Recorder:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
