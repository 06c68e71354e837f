"""`vendorsim record` and `vendorsim verify`: prove the mocks against the vendor
(docs/how-to/record-verify.md)."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path


def add_parsers(sub: argparse._SubParsersAction) -> None:
    record = sub.add_parser(
        "record", help="a recording proxy to the real vendor: cassettes in VCR.py's format",
        description="Serve a proxy on 127.0.0.1: point a client at it and it reaches the "
                    "vendor at --upstream; every exchange is written, secrets masked, to a "
                    "cassette in --out (VCR.py's format). Stop with Ctrl-C.")
    record.add_argument("--vendor", required=True,
                        choices=("marketo", "sfmc", "bombora", "demandbase"),
                        help="which vendor the upstream is (names the cassette)")
    record.add_argument("--upstream", required=True, metavar="URL",
                        help="the vendor's base URL, e.g. https://123-ABC-456.mktorest.com")
    record.add_argument("--out", default="cassettes", metavar="DIR",
                        help="where cassettes go (default ./cassettes, readable by you only)")
    record.add_argument("--port", type=int, default=0, help="the proxy's port (0: a free one)")
    record.set_defaults(func=cmd_record)

    verify = sub.add_parser(
        "verify", help="replay cassettes against the mocks and report drift",
        description="Replay recorded requests in order against a fresh embedded mock (or "
                    "--target) and compare each answer with the recorded one by structure: "
                    "status, codes, fields, types. Exit 0: no drift; 1: drift (or an expired "
                    "allowance); 2: unusable input.")
    verify.add_argument("cassettes", nargs="+", help="VCR.py cassettes (YAML or JSON)")
    verify.add_argument("--vendor", choices=("marketo", "sfmc", "bombora", "demandbase"),
                        help="the vendor of cassettes recorded against a non-vendor host")
    verify.add_argument("--target", metavar="URL", help="a running vendorsim instead")
    verify.add_argument("--allow", metavar="FILE",
                        help="allow-list: [{operation, class, path, reason, expires}]")
    verify.add_argument("--seed", metavar="STATE",
                        help="load this state first (JSON as GET /__admin/state answers): "
                             "what the recorded session found in the sandbox")
    verify.add_argument("--json", metavar="FILE", help="also write the report as JSON")
    verify.add_argument("--html", metavar="FILE", help="also write the report as HTML")
    verify.set_defaults(func=cmd_verify)


def cmd_record(args: argparse.Namespace) -> int:
    from vendorsim.simulator.drift.recorder import Recorder

    try:
        recorder = Recorder(args.upstream, Path(args.out), args.vendor, args.port).start()
    except OSError as exc:
        print(f"vendorsim record: cannot listen on 127.0.0.1:{args.port}: {exc}",
              file=sys.stderr)
        return 2
    print(f"vendorsim record: point your {args.vendor} client at {recorder.url} "
          f"(forwarding to {args.upstream}); cassette {recorder.cassette}", flush=True)
    stop = threading.Event()
    import signal

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    recorder.stop()
    print(f"vendorsim record: {len(recorder.proxy.interactions)} exchange(s) in "
          f"{recorder.cassette}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    import requests
    from rich.console import Console

    from vendorsim.simulator.drift.cassette import CassetteError, read_cassette
    from vendorsim.simulator.drift.report import print_report, render_html, summarize
    from vendorsim.simulator.drift.verify import VerifyError, load_allow_list, verify
    from vendorsim.simulator.engine.vendors import TargetError

    try:
        interactions = [i for name in args.cassettes for i in read_cassette(Path(name))]
        allow = load_allow_list(Path(args.allow)) if args.allow else []
        seed = json.loads(Path(args.seed).read_text()) if args.seed else None
        checked = verify(interactions, args.vendor, args.target, allow, seed)
    except (CassetteError, VerifyError, OSError, ValueError, TargetError) as exc:
        print(f"vendorsim verify: {exc}", file=sys.stderr)
        return 2
    except requests.RequestException as exc:
        print(f"vendorsim verify: the mocks stopped answering: {str(exc)[:200]}",
              file=sys.stderr)
        return 2
    summary = summarize(checked, [Path(c).name for c in args.cassettes])
    print_report(Console(), summary)
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")
    if args.html:
        Path(args.html).write_text(render_html(summary), encoding="utf-8")
    return 1 if summary["drift"] else 0
