"""The `vendorsim` command: serve the mocks, run the demo."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes", "on")


def _load_state(path: str) -> dict:
    text = Path(path).read_text()
    if path.endswith((".yaml", ".yml")):
        import yaml

        return yaml.safe_load(text) or {}
    return json.loads(text)


def cmd_serve(args: argparse.Namespace) -> int:
    from mocks.cloud import Cloud
    from mocks.server import ServerRunner, describe_urls

    cloud = Cloud(args.clock, strict=args.strict)
    if args.no_limits:
        for service in cloud.services.values():
            service.configure_default_limits(enabled=False)
    if args.state:
        try:
            state = _load_state(args.state)
            for vendor, snapshot in state.items():
                cloud.service(vendor).restore(snapshot)
        except (OSError, ValueError, KeyError) as exc:
            print(f"vendorsim serve: cannot load {args.state}: {exc}", file=sys.stderr)
            return 2
    try:
        runner = ServerRunner(cloud, host=args.host, port=args.port,
                              vendor_ports=not args.no_vendor_ports, threads=args.threads).start()
    except OSError as exc:
        print(f"vendorsim serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    mode = f"{'virtual' if cloud.clock.virtual else 'real'} clock, " \
           f"{'strict' if args.strict else 'lenient'} auth"
    print(f"vendorsim serving ({mode})")
    for line in describe_urls(runner):
        print("  " + line)
    print("VENDORSIM_URLS " + json.dumps(runner.urls), flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    runner.stop()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from simulator.demo import run_demo

    return run_demo()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vendorsim", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the mock vendors over HTTP (waitress)")
    serve.add_argument("--host", default=os.environ.get("VENDORSIM_HOST", "127.0.0.1"),
                       help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=int(os.environ.get("VENDORSIM_PORT", 8080)),
                       help="host-routed port; vendors take the next ones (0: free ports)")
    serve.add_argument("--no-vendor-ports", action="store_true",
                       help="serve only the host-routed port")
    serve.add_argument("--strict", action="store_true", default=_env_flag("VENDORSIM_STRICT"),
                       help="only seeded tenants and credentials get tokens")
    serve.add_argument("--clock", choices=("real", "virtual"),
                       default=os.environ.get("VENDORSIM_CLOCK", "real"),
                       help="virtual: time moves only via POST /__admin/clock/advance")
    serve.add_argument("--no-limits", action="store_true",
                       default=_env_flag("VENDORSIM_NO_LIMITS"),
                       help="switch rate, concurrency and quota limits off (speed tests)")
    serve.add_argument("--state", default=os.environ.get("VENDORSIM_STATE"),
                       help="JSON/YAML {vendor: snapshot} to load at start")
    serve.add_argument("--threads", type=int, default=8, help="worker threads per port")
    serve.set_defaults(func=cmd_serve)

    demo = sub.add_parser("demo", help="walk through the Marketo mock in-process")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
