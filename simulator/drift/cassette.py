"""Cassettes in VCR.py's format (what pytest-recording and VCR.py users already keep):

    interactions:
    - request: {method, uri, body, headers: {Name: [value]}}
      response: {status: {code, message}, headers: {Name: [value]}, body: {string}}
    version: 1

Written with every secret masked (`***`): client secrets, tokens, passwords, API keys in
bodies, query strings and headers (`Authorization`, cookies). Read leniently: bodies as text,
`{string: ...}`, bytes or base64, headers as lists or single values, YAML or JSON.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml

MASK = "***"
SECRET_KEYS = re.compile(r"^(client_?secret|access_?token|refresh_?token|legacy_?token|"
                         r"password|api_?key|token|fueloauth|oAuthToken)$", re.I)  # exact names:
# a paging token (nextPageToken) is no secret, and replaying needs it
SECRET_HEADERS = {"authorization", "cookie", "set-cookie", "x-api-key", "proxy-authorization"}
JSON_SECRET = re.compile(r'("(?:client_?secret|clientSecret|access_?token|accessToken|'
                         r'refresh_?token|refreshToken|legacyToken|password|api_?key)"\s*:\s*")'
                         r'[^"]*(")', re.I)
XML_SECRET = re.compile(r"(<(?:\w+:)?(?:fueloauth|oAuthToken|Password)[^>]*>)[^<]*(</)", re.I)
MAX_BODY = 1024 * 1024  # bytes of a body a cassette keeps (the rest is cut, and said so)


class CassetteError(ValueError):
    """A file that is not a cassette this tool can read; the message says what is wrong."""


@dataclass
class Interaction:
    method: str
    uri: str
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str = ""
    status: int = 200
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""
    source: str = ""  # file:index, for reports

    def to_vcr(self) -> dict:
        return {"request": {"method": self.method, "uri": self.uri,
                            "body": self.request_body or None,
                            "headers": {k: [v] for k, v in self.request_headers.items()}},
                "response": {"status": {"code": self.status, "message": ""},
                             "headers": {k: [v] for k, v in self.response_headers.items()},
                             "body": {"string": self.response_body}}}


def masked_uri(uri: str) -> str:
    parts = urlsplit(uri)
    query = [(k, MASK if SECRET_KEYS.match(k) else v)
             for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


def masked_body(text: str) -> str:
    if not text:
        return text
    text = XML_SECRET.sub(lambda m: f"{m.group(1)}{MASK}{m.group(2)}", text)
    text = JSON_SECRET.sub(lambda m: f"{m.group(1)}{MASK}{m.group(2)}", text)
    if "=" in text and not text.lstrip().startswith(("{", "[", "<")):  # a form body
        pairs = parse_qsl(text, keep_blank_values=True)
        if pairs:
            text = urlencode([(k, MASK if SECRET_KEYS.match(k) else v) for k, v in pairs],
                             safe="*")
    return text


def masked_headers(headers: dict[str, str]) -> dict[str, str]:
    out = {}
    for name, value in headers.items():
        if name.lower() in SECRET_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            out[name] = f"{scheme} {MASK}".strip()
        else:
            out[name] = value
    return out


def cut(text: str) -> str:
    return text if len(text) <= MAX_BODY else \
        text[:MAX_BODY] + f"…[cut {len(text) - MAX_BODY} characters]"


def masked(item: Interaction) -> Interaction:
    """The interaction as a cassette may hold it: no secret, bounded bodies."""
    return Interaction(item.method, masked_uri(item.uri), masked_headers(item.request_headers),
                       cut(masked_body(item.request_body)), item.status,
                       masked_headers(item.response_headers),
                       cut(masked_body(item.response_body)), item.source)


def write_cassette(path: Path, interactions: list[Interaction]) -> None:
    """Write atomically (a reader never sees half a cassette), every secret masked."""
    doc = {"interactions": [masked(i).to_vcr() for i in interactions], "version": 1}
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    temporary.replace(path)


def _body(value: object) -> str:
    if isinstance(value, dict):
        if "base64_string" in value:
            return base64.b64decode(str(value["base64_string"])).decode("utf-8", "replace")
        value = value.get("string", "")
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _headers(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v[0] if isinstance(v, list) and v else v) for k, v in value.items()}


def _yaml_lines(text: str) -> tuple[object, list[int]]:
    """The document and the line each interaction starts on."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)  # libyaml when present
    try:
        root = loader.get_single_node()
        doc = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    lines: list[int] = []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "interactions" and isinstance(value, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value.value]
    return doc, lines


def _json_lines(text: str) -> tuple[object, list[int]]:
    """The document and the line each interaction starts on (the top-level object read key
    by key, so a string elsewhere that says "interactions" is not taken for the list)."""
    doc = json.loads(text)
    decoder, lines = json.JSONDecoder(), []

    def skip(at: int) -> int:  # whitespace and the separators between values
        while at < len(text) and text[at] in " \t\r\n,:":
            at += 1
        return at

    at = skip(text.index("{") + 1) if isinstance(doc, dict) else len(text)
    while at < len(text) and text[at] == '"':
        key, at = decoder.raw_decode(text, at)
        at = skip(at)
        if key == "interactions" and text[at:at + 1] == "[":
            at = skip(at + 1)
            while at < len(text) and text[at] != "]":
                lines.append(text.count("\n", 0, at) + 1)
                _, at = decoder.raw_decode(text, at)
                at = skip(at)
            break
        _, at = decoder.raw_decode(text, at)
        at = skip(at)
    return doc, lines


def read_cassette(path: Path) -> list[Interaction]:
    """The interactions of a VCR.py cassette (YAML or JSON); CassetteError if it is none.
    Each one's `source` is `file:line`, the line its entry starts on."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CassetteError(f"{path}: cannot read it: {exc}") from None
    try:
        doc, lines = _json_lines(text) if path.suffix == ".json" else _yaml_lines(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise CassetteError(f"{path}: not YAML/JSON: {str(exc)[:200]}") from None
    items = doc.get("interactions") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise CassetteError(f"{path}: not a VCR.py cassette (no 'interactions' list)")
    out = []
    for n, item in enumerate(items):
        request = item.get("request") if isinstance(item, dict) else None
        response = item.get("response") if isinstance(item, dict) else None
        where = f"{path}:{lines[n] if n < len(lines) else 1}"
        if not isinstance(request, dict) or not isinstance(response, dict) or \
                not isinstance(request.get("uri"), str):
            raise CassetteError(f"{where}: interaction {n} needs a request (with a uri) and a "
                                "response")
        status = response.get("status")
        code = status.get("code") if isinstance(status, dict) else status
        if not isinstance(code, int) or isinstance(code, bool):
            raise CassetteError(f"{where}: interaction {n}: the response status has no code")
        line = lines[n] if n < len(lines) else 1
        out.append(Interaction(str(request.get("method") or "GET").upper(), request["uri"],
                               _headers(request.get("headers")), _body(request.get("body")),
                               code, _headers(response.get("headers")),
                               _body(response.get("body")), f"{path.name}:{line}"))
    return out
