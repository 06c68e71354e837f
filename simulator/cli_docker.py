"""`vendorsim docker ...`: the mocks as a container, driven with the docker SDK
(`vendorsim.mocks.container`), including building a local base image where no image
registry can be reached."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vendorsim.mocks.container import Running

import argparse
import json
import os
import sys

BASE_HELP = ("any image with python3 and python3-venv (default python:3.11-slim, or the local "
             "vendorsim-base:bookworm when that one is missing and this one exists)")


def add_parser(sub: argparse._SubParsersAction) -> None:
    from vendorsim.mocks.container import DEFAULT_IMAGE, LOCAL_BASE

    dock = sub.add_parser(
        "docker", help="run the mocks as a container (docker SDK): up, down, status, logs, "
                       "base",
        description="Run vendorsim's mocks as a container. `base` builds a local Debian base "
                    "image (debootstrap + docker import) for machines without an image registry.")
    dock.add_argument("action", choices=("up", "down", "status", "logs", "base"),
                      help="up: (build and) start; down: stop and remove; status; logs; "
                           f"base: build the local base image {LOCAL_BASE}")
    dock.add_argument("--image", default=DEFAULT_IMAGE, help="image name (default %(default)s)")
    dock.add_argument("--name", default="vendorsim", help="container name (default %(default)s)")
    dock.add_argument("--build", action="store_true",
                      help="build the image first (wheels made here, no network in the build)")
    dock.add_argument("--base-image", default=os.environ.get("VENDORSIM_BASE_IMAGE"),
                      help=BASE_HELP)
    dock.add_argument("--mirror", default=None,
                      help="base: the Debian mirror debootstrap reads (default: this machine's "
                           "apt source, else deb.debian.org)")
    dock.add_argument("--random-ports", action="store_true",
                      help="publish on free 127.0.0.1 ports instead of 8080-8084")
    dock.add_argument("--host-network", action="store_true",
                      help="share the host's network (ports 8080-8084 on 127.0.0.1)")
    dock.add_argument("--strict", action="store_true",
                      help="only seeded tenants and credentials get tokens")
    dock.add_argument("--no-limits", action="store_true",
                      help="switch rate, concurrency and quota limits off")
    dock.add_argument("--clock", choices=("real", "virtual"), default="real",
                      help="virtual: time moves only via POST /__admin/clock/advance")
    dock.add_argument("--tail", type=int, default=100, help="logs: how many lines (default 100)")
    dock.set_defaults(func=cmd_docker)


def cmd_docker(args: argparse.Namespace) -> int:
    from vendorsim.mocks import container

    try:
        if args.action == "base":
            tag = args.base_image or container.LOCAL_BASE
            print(f"building the local base image {tag} (debootstrap, about a minute) ...",
                  flush=True)
            container.build_base(tag, args.mirror)
            print(f"{tag} built; now: vendorsim docker up --build --base-image {tag}")
        elif args.action == "up":
            if args.build:
                base = container.choose_base(args.base_image)
                print(f"building {args.image} on {base} ...", flush=True)
                container.build(args.image, base)
            env = {"VENDORSIM_STRICT": str(args.strict).lower(),
                   "VENDORSIM_NO_LIMITS": str(args.no_limits).lower(),
                   "VENDORSIM_CLOCK": args.clock}
            running = container.up(args.image, args.name, fixed_ports=not args.random_ports,
                                   host_network=args.host_network, environment=env)
            _print_running(running)
        elif args.action == "status":
            found = container.status(args.name)
            if found is None:
                print(f"no container {args.name}")
                return 1
            _print_running(found)
        elif args.action == "logs":
            print(container.logs(args.name, args.tail), end="")
        else:
            print(f"removed {args.name}" if container.down(args.name)
                  else f"no container {args.name}")
    except (container.EngineUnavailable, container.ContainerError) as exc:
        print(f"vendorsim docker: {exc}", file=sys.stderr)
        return 3
    return 0


def _print_running(running: Running) -> None:
    print(f"{running.name}: {running.status}, health {running.health}, "
          f"image {running.image}")
    for vendor, url in running.urls.items():
        print(f"  {vendor:<11} {url}")
    print(replay_advice(running.urls.get("cloud", "")))
    print("VENDORSIM_URLS " + json.dumps(running.urls), flush=True)


def replay_advice(url: str) -> str:
    """How to replay a scenario against this server, by what its admin API says of its clock:
    on a real clock a replay waits out its timeline in real time, so the advice is a virtual
    one (or --real-time-ok, knowingly)."""
    import requests

    try:
        clock = requests.get(f"{url}/__admin/clock", timeout=5).json()
        virtual = clock.get("virtual") if isinstance(clock, dict) else None
    except (requests.RequestException, ValueError):
        virtual = None
    if virtual is False:
        return (f"its clock is real: a scenario replayed here waits out its timeline in real "
                f"time. To replay scenarios, run `vendorsim docker up --clock virtual` (after "
                f"`vendorsim docker down`), then `vendorsim run SCENARIO --target {url}`; or "
                f"`vendorsim run SCENARIO --target {url} --real-time-ok` to wait")
    return f"replay a scenario here: vendorsim run SCENARIO --target {url}"
