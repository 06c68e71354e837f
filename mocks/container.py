"""Run the mocks as a container with the `docker` SDK (like testcontainers): build the image
from wheels made on the host, start it with ports on 127.0.0.1, wait for its health check,
report its URLs, stop it. An unreachable engine is an `EngineUnavailable` with a message a
person can act on, never a traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
from docker.errors import APIError, BuildError, DockerException, ImageNotFound, NotFound

DEFAULT_IMAGE = "vendorsim:latest"
DEFAULT_NAME = "vendorsim"
DEFAULT_BASE = "python:3.11-slim"
LOCAL_BASE = "vendorsim-base:bookworm"  # built here by `vendorsim docker base`
# the container's ports: `vendorsim serve --port 8080` puts the vendors after it, in this order
PORTS = {"cloud": 8080, "marketo": 8081, "sfmc": 8082, "bombora": 8083, "demandbase": 8084}


class EngineUnavailable(RuntimeError):
    """No Docker engine answers (not installed, not running, or no permission)."""


class ContainerError(RuntimeError):
    """The image would not build or the container would not become healthy."""


@dataclass
class Running:
    name: str
    image: str
    urls: dict[str, str]
    status: str
    health: str


def engine() -> docker.DockerClient:
    try:
        client = docker.from_env()
        client.ping()
        return client
    except DockerException as exc:
        raise EngineUnavailable(
            "no Docker engine is reachable (is dockerd running, and may this user use "
            f"/var/run/docker.sock?): {exc}") from None


def project_root() -> Path:
    """The checkout holding pyproject.toml and the Dockerfile (images build from source)."""
    here = Path(__file__).resolve().parent.parent
    if not (here / "Dockerfile").exists() or not (here / "pyproject.toml").exists():
        raise ContainerError(f"no Dockerfile beside {here}: build from a vendorsim checkout")
    return here


def _has_image(client: docker.DockerClient, name: str) -> bool:
    try:
        client.images.get(name)
        return True
    except ImageNotFound:
        return False


def choose_base(wanted: str | None, client: docker.DockerClient | None = None) -> str:
    """The base image to build on: the one asked for, else python:3.11-slim when this machine
    has it (or can pull it), else the local base `vendorsim docker base` builds."""
    client = client or engine()
    if wanted:
        return wanted
    if _has_image(client, DEFAULT_BASE) or not _has_image(client, LOCAL_BASE):
        return DEFAULT_BASE
    return LOCAL_BASE


def _ensure_base(client: docker.DockerClient, base_image: str) -> None:
    """A missing base image is pulled; where no registry answers, say what to do."""
    if _has_image(client, base_image):
        return
    try:
        client.images.pull(base_image)
    except (APIError, DockerException) as exc:
        raise ContainerError(
            f"the base image {base_image} is not on this machine and could not be pulled "
            f"({str(exc).splitlines()[0][:160]}). Without an image registry, build a local base "
            f"first: `vendorsim docker base` (root, debootstrap), then `vendorsim docker up "
            f"--build --base-image {LOCAL_BASE}`.") from None


def build_base(tag: str = LOCAL_BASE, mirror: str | None = None,
               client: docker.DockerClient | None = None) -> str:
    """A minimal Debian bookworm with python3 and python3-venv, made by debootstrap and
    imported as `tag`: the base for machines that reach Debian's packages but no registry."""
    client = client or engine()
    if shutil.which("debootstrap") is None:
        raise ContainerError("debootstrap is not installed: `apt-get install debootstrap`")
    if os.geteuid() != 0:
        raise ContainerError("debootstrap needs root: run `vendorsim docker base` as root")
    mirror = mirror or _apt_mirror()
    with tempfile.TemporaryDirectory(prefix="vendorsim-base-") as tmp:
        rootfs, tarball = Path(tmp) / "rootfs", Path(tmp) / "rootfs.tar"
        done = subprocess.run(["debootstrap", "--variant=minbase",
                               "--include=python3,python3-venv,ca-certificates", "bookworm",
                               str(rootfs), mirror], capture_output=True, text=True)
        if done.returncode != 0:
            raise ContainerError(f"debootstrap failed:\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
        subprocess.run(["tar", "-C", str(rootfs), "-cf", str(tarball), "."], check=True)
        repository, _, version = tag.partition(":")
        try:
            client.api.import_image_from_file(str(tarball), repository=repository,
                                              tag=version or "latest")
        except (APIError, DockerException) as exc:
            raise ContainerError(f"docker import failed: {exc}") from None
    return tag


def _apt_mirror() -> str:
    """The Debian mirror this machine's apt uses (deb822 or one-line sources)."""
    for path in ("/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"):
        try:
            text = Path(path).read_text()
        except OSError:
            continue
        found = re.search(r"(?m)^(?:URIs:\s*|deb\s+)(\S+/debian)/?\s", text)
        if found:
            return found.group(1)
    return "http://deb.debian.org/debian"


def build(tag: str = DEFAULT_IMAGE, base_image: str = DEFAULT_BASE,
          client: docker.DockerClient | None = None) -> str:
    """Build the image: wheels made here (pip wheel), copied into a context, no network."""
    client = client or engine()
    _ensure_base(client, base_image)
    root = project_root()
    with tempfile.TemporaryDirectory(prefix="vendorsim-image-") as tmp:
        context = Path(tmp)
        shutil.copy(root / "Dockerfile", context / "Dockerfile")
        wheels = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--wheel-dir",
             str(context / "wheels"), f"{root}[otel]"],  # tracing in the image, off by default
            capture_output=True, text=True)
        if wheels.returncode != 0:
            raise ContainerError(f"pip wheel failed:\n{wheels.stderr[-2000:]}")
        try:
            client.images.build(path=str(context), tag=tag, rm=True, pull=False,
                                buildargs={"BASE_IMAGE": base_image})
        except (BuildError, APIError) as exc:
            raise ContainerError(f"docker build failed: {exc}") from None
    return tag


def up(image: str = DEFAULT_IMAGE, name: str = DEFAULT_NAME, *, fixed_ports: bool = True,
       host_network: bool = False, environment: dict[str, str] | None = None,
       timeout: float = 60.0, client: docker.DockerClient | None = None) -> Running:
    """Start (or reuse) the container and wait until its health check passes."""
    client = client or engine()
    try:
        container = client.containers.get(name)
        if container.status != "running":
            container.remove(force=True)
            raise NotFound("stale")
    except NotFound:
        try:
            client.images.get(image)
        except ImageNotFound:
            raise ContainerError(f"no image {image}: run `vendorsim docker up --build`") from None
        options: dict = {"detach": True, "name": name, "environment": environment or {}}
        if host_network:
            options["network_mode"] = "host"
            options["environment"] = {"VENDORSIM_HOST": "127.0.0.1", **options["environment"]}
        else:
            options["ports"] = {f"{p}/tcp": ("127.0.0.1", p if fixed_ports else None)
                                for p in PORTS.values()}
        container = client.containers.run(image, **options)
    deadline = time.monotonic() + timeout
    while True:
        container.reload()
        health = container.attrs["State"].get("Health", {}).get("Status", "none")
        if health == "healthy":
            break
        if container.status == "exited" or time.monotonic() > deadline:
            logs = container.logs(tail=30).decode(errors="replace")
            raise ContainerError(f"container {name} is {container.status}/{health}:\n{logs}")
        time.sleep(0.2)
    return describe(container, host_network)


def describe(container: Any, host_network: bool = False) -> Running:
    """What a running container serves (`container`: the docker SDK's, untyped)."""
    attrs = container.attrs
    health = attrs["State"].get("Health", {}).get("Status", "none")
    urls = {}
    for vendor, port in PORTS.items():
        if host_network or attrs["HostConfig"].get("NetworkMode") == "host":
            urls[vendor] = f"http://127.0.0.1:{port}"
            continue
        bound = (attrs["NetworkSettings"]["Ports"] or {}).get(f"{port}/tcp") or []
        if bound:
            urls[vendor] = f"http://127.0.0.1:{bound[0]['HostPort']}"
    return Running(container.name, attrs["Config"]["Image"], urls, container.status, health)


def status(name: str = DEFAULT_NAME) -> Running | None:
    try:
        return describe(engine().containers.get(name))
    except NotFound:
        return None


def logs(name: str = DEFAULT_NAME, tail: int = 100) -> str:
    try:
        return engine().containers.get(name).logs(tail=tail).decode(errors="replace")
    except NotFound:
        raise ContainerError(f"no container {name}") from None


def down(name: str = DEFAULT_NAME) -> bool:
    """Stop and remove the container; False when there was none."""
    try:
        engine().containers.get(name).remove(force=True)
        return True
    except NotFound:
        return False
