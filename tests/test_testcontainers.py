"""`vendorsim.testcontainers.VendorsimContainer` (issue 28) against the image `.ci/docker`
builds (`VENDORSIM_IMAGE`): started, waited on, its vendor URLs, admin calls, clock, verdicts,
journal, reset, strict mode and a state file. Skipped, saying why, where no Docker engine or
no image is available (`.ci/docker` runs it with both)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.helpers import MUNCHKIN, MarketoCaller

IMAGE = os.environ.get("VENDORSIM_IMAGE", "vendorsim:latest")
# Ryuk, testcontainers' reaper, is an image from Docker Hub: this machine has no registry;
# the fixtures stop their containers themselves
os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")


@pytest.fixture(scope="module")
def engine() -> None:
    docker = pytest.importorskip("docker", reason="the docker SDK is a core dependency")
    pytest.importorskip("testcontainers", reason="testcontainers is the testcontainers extra")
    try:
        client = docker.from_env()
        client.ping()
        client.images.get(IMAGE)
    except Exception as exc:  # noqa: BLE001 - any reason the engine or image is missing
        pytest.skip(f"no Docker engine with the image {IMAGE} here ({type(exc).__name__}); "
                    ".ci/docker builds it and runs these tests")


@pytest.fixture
def mocks(engine: None) -> Iterator[object]:
    from vendorsim.testcontainers import VendorsimContainer

    with VendorsimContainer(IMAGE) as container:
        yield container


@pytest.mark.client("testcontainers", mode="container",
                    area="VendorsimContainer: vendors and admin calls")
def test_the_container_serves_the_vendors_and_the_admin_calls(mocks: object) -> None:
    container = mocks  # a VendorsimContainer
    base = container.base_url("marketo", MUNCHKIN)  # type: ignore[attr-defined]
    caller = MarketoCaller(base).login()
    assert caller.sync([{"email": "t@x.example"}])["result"][0]["status"] == "created"
    container.advance(3600)  # type: ignore[attr-defined]
    assert caller.get("/rest/v1/leads/partitions.json")["errors"][0]["code"] == "602"
    assert [e["path"] for e in container.journal(vendor="marketo")][-1] == \
        "/rest/v1/leads/partitions.json"  # type: ignore[attr-defined]
    assert container.verdicts() == []  # type: ignore[attr-defined]
    container.reset()  # type: ignore[attr-defined]
    assert container.journal() == []  # type: ignore[attr-defined]
    health = requests.get(f"{container.url()}/__admin/health", timeout=10).json()  # type: ignore[attr-defined]
    assert health["clock"]["virtual"] is True


@pytest.mark.client("testcontainers", mode="container", area="strict mode, a state file")
def test_strict_mode_and_a_state_file(engine: None, tmp_path: Path) -> None:
    from vendorsim.testcontainers import VendorsimContainer

    state = tmp_path / "state.json"
    state.write_text(json.dumps({"vendors": {"marketo": {"tenants": {MUNCHKIN: {
        "credentials": [{"client_id": "cdp", "client_secret": "s3cret"}],
        "state": {"leads": [{"email": "kept@x.example"}]}}}}}}))
    tmp_path.chmod(0o777)  # the image runs as its own user
    state.chmod(0o666)
    with VendorsimContainer(IMAGE, strict=True, state=state) as container:
        base = container.base_url("marketo", MUNCHKIN)
        caller = MarketoCaller(base).login()
        found = caller.get("/rest/v1/leads.json", filterType="email",
                           filterValues="kept@x.example")
        assert found["result"][0]["email"] == "kept@x.example"
        refused = requests.get(f"{base}/identity/oauth/token", params={
            "grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"})
        assert refused.status_code == 401


@pytest.mark.client("testcontainers", mode="container", area="traces (OpenTelemetry)")
def test_traces_from_the_container(engine: None) -> None:
    """OpenTelemetry in container mode: the image carries the otel extra, off until the
    standard variables switch it on (here the console exporter: spans in the logs)."""
    import time

    from vendorsim.testcontainers import VendorsimContainer

    container = VendorsimContainer(IMAGE)
    container.with_env("OTEL_TRACES_EXPORTER", "console")
    container.with_env("OTEL_BSP_SCHEDULE_DELAY", "100")  # milliseconds between exports
    with container:
        caller = MarketoCaller(container.base_url("marketo", MUNCHKIN)).login()
        caller.session.get(f"{caller.base}/rest/v1/leads/partitions.json", headers={
            "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
        deadline = time.monotonic() + 30
        logs = ""
        while "leads/partitions.json" not in logs:  # polling the container's output
            assert time.monotonic() < deadline, logs[-2000:]
            time.sleep(0.2)
            out, err = container.get_logs()
            logs = (out + err).decode("utf-8", "replace")
    assert '"name": "marketo GET /rest/v1/leads/partitions.json"' in logs
    assert "4bf92f3577b34da6a3ce929d0e0e4736" in logs  # the caller's trace


@pytest.mark.client("testcontainers", mode="container", area="admin token")
def test_a_container_with_its_admin_api_closed(engine: None) -> None:
    """VendorsimContainer(admin_token=...): the container needs it on every admin call (its
    health check still passes: health answers its status to anyone); its own calls send it."""
    from vendorsim.testcontainers import VendorsimContainer

    token = "a-token-of-the-test-suite"
    with VendorsimContainer(IMAGE, admin_token=token) as container:
        assert container.verdicts() == []
        state = f"{container.url()}/__admin/state"
        assert requests.get(state, timeout=10).status_code == 401
        assert requests.get(state, headers={"Authorization": f"Bearer {token}"},
                            timeout=10).status_code == 200
