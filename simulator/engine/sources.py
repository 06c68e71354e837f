"""The scenario's sources as the engine runs them: a connector per accepted connection of
this CDP (instance and sandbox), refusals for the unsupported Marketo patterns (B-B2B-02),
and each source's ingestion times (SFMC: its schedule from the start, B-SFMC-05; Marketo:
after the historical backfill, then every few minutes, B-B2B-07)."""

from __future__ import annotations

from collections.abc import Callable

from vendorsim.simulator.report import SourceReport
from vendorsim.simulator.scenario.model import MarketoSource, Scenario, parse_offset
from vendorsim.simulator.sources.marketo import MarketoSourceConnector
from vendorsim.simulator.sources.sfmc import SfmcConnector
from vendorsim.simulator.sources.topology import refused_connections

from .vendors import Vendors

SourceConnector = SfmcConnector | MarketoSourceConnector


def build_sources(scenario: Scenario, vendors: Vendors,
                  sleep: Callable[[float], None] | None = None,
                  now: Callable[[], float] | None = None,
                  holds: dict[tuple, tuple[float, int]] | None = None,
                  ) -> tuple[dict[str, SourceConnector], dict[str, SourceReport]]:
    """Connectors of the sources that feed this CDP, and a report for every source; `sleep`
    is a wait of the source's process (Marketo polls its bulk extracts), `holds` the
    throttle waits Marketo API clients share with the destinations."""
    refused = refused_connections(scenario)
    connectors: dict[str, SourceConnector] = {}
    reports = {}
    for src in scenario.sources:
        report = reports[src.id] = SourceReport(src.id)
        if src.id in refused:
            report.refused = refused[src.id]
            continue
        if isinstance(src, MarketoSource):
            mine = (src.cdp_instance or scenario.cdp.instance) == scenario.cdp.instance and \
                (src.sandbox or scenario.cdp.sandbox) == scenario.cdp.sandbox
            if mine:
                connectors[src.id] = MarketoSourceConnector(
                    src, vendors.session(), vendors.base_url("marketo", src.munchkin_id),
                    sleep, now, holds)
            else:  # accepted, but it feeds another CDP instance or sandbox
                report.feeds = f"{src.cdp_instance or scenario.cdp.instance}/" \
                               f"{src.sandbox or scenario.cdp.sandbox}"
        else:
            connectors[src.id] = SfmcConnector(src, vendors.session(),
                                               vendors.base_url("sfmc", src.subdomain))
    return connectors, reports


def ingestion_times(connector: SourceConnector, start: float, end: float) -> list[float]:
    config = connector.config
    when = start + (parse_offset(config.backfill) if isinstance(config, MarketoSource) else 0)
    every = parse_offset(config.schedule)
    times = []
    while when <= end:
        times.append(when)
        when += every
    return times


def absorb_b2b(connector: SourceConnector, accounts: dict[str, dict],
               opportunities: dict[str, list[dict]]) -> None:
    """What a Marketo source read besides leads: companies become (or update) CDP accounts,
    their opportunities replace the accounts' opportunities (B-B2B-01)."""
    if not isinstance(connector, MarketoSourceConnector):
        return
    for account_id, account in connector.accounts_read.items():
        accounts.setdefault(account_id, {"accountId": account_id}).update(account)
    for owner, found in connector.opportunities_read.items():
        if owner is not None:  # an opportunity of no account belongs to no CDP account
            opportunities[owner] = found
