"""Benchmark: what a Marketo MCP tool call costs over the REST call it makes.

The same read (Describe Lead) N times on one in-process cloud: as REST through
`cloud.requests_session()` (the floor: the mock's own pipeline), and as the Marketo MCP
mock's `describe_lead` tool over streamable HTTP on 127.0.0.1 with the SDK's client. The
ratio is the MCP layer's price per call (HTTP, JSON-RPC, the SDK, the bridge); both paths
go through the same Marketo pipeline and both count in the instance's limits, so the limits
are switched off for the measurement.

    python benchmarks/mcp_calls.py [--calls 300]
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx2
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from vendorsim import Cloud
from vendorsim.mocks.marketo.mcp.server import marketo_mcp, serve_http

MUNCHKIN = "123-ABC-456"
HEADERS = {"X-Marketo-Client-Id": "bench", "X-Marketo-Client-Secret": "s",
           "X-Marketo-Munchkin-Id": MUNCHKIN}


def rest(cloud: Cloud, calls: int) -> float:
    session = cloud.requests_session()
    base = f"https://{MUNCHKIN}.mktorest.com"
    token = session.get(f"{base}/identity/oauth/token", params={
        "grant_type": "client_credentials", "client_id": "bench",
        "client_secret": "s"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    start = time.perf_counter()
    for _ in range(calls):
        assert session.get(f"{base}/rest/v1/leads/describe.json", headers=headers).ok
    return (time.perf_counter() - start) / calls


async def mcp(url: str, calls: int) -> float:
    async with httpx2.AsyncClient(headers=HEADERS) as http, \
            streamable_http_client(url, http_client=http) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        await session.call_tool("describe_lead", {})  # the token, once
        start = time.perf_counter()
        for _ in range(calls):
            assert not (await session.call_tool("describe_lead", {})).is_error
        return (time.perf_counter() - start) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=300, help="calls of each kind")
    calls = parser.parse_args().calls
    cloud = Cloud("virtual")
    cloud.service("marketo").configure_default_limits(enabled=False)
    floor = rest(cloud, calls)
    with serve_http(marketo_mcp(cloud)) as server:
        through = asyncio.run(mcp(server.url, calls))
    print(f"REST in-process   {floor * 1000:7.2f} ms a call")
    print(f"MCP tool (HTTP)   {through * 1000:7.2f} ms a call")
    print(f"ratio             {through / floor:7.1f}x the REST call it makes")


if __name__ == "__main__":
    main()
