"""Which Marketo-as-source connections the CDP accepts (B-B2B-02):

- several Marketo instances -> one CDP instance: supported;
- one Marketo instance -> one CDP instance with several sandboxes: supported;
- one Marketo instance -> several CDP instances: not supported;
- several Marketo instances -> several CDP instances: not supported.

Connections are set up in the order the scenario lists them; one that would make the set
unsupported is refused with the reason. (Marketo as destination, B-B2B-03 — one CDP to many
instances, many CDPs to one instance — is always accepted.)
"""

from __future__ import annotations

from vendorsim.simulator.scenario.model import MarketoSource, Scenario


def refused_connections(scenario: Scenario) -> dict[str, str]:
    """Source id -> why the CDP refuses that Marketo connection."""
    accepted: list[tuple[str, str]] = []  # (munchkin, CDP instance)
    refused = {}
    for source in scenario.sources:
        if not isinstance(source, MarketoSource):
            continue
        munchkin = source.munchkin_id.upper()
        instance = source.cdp_instance or scenario.cdp.instance
        wanted = [*accepted, (munchkin, instance)]
        instances_of = {i for m, i in wanted if m == munchkin}
        if len(instances_of) > 1:
            refused[source.id] = (f"Marketo {munchkin} is already a source of another CDP "
                                  "instance: one Marketo to several CDP instances is not "
                                  "supported (B-B2B-02)")
        elif len({i for _, i in wanted}) > 1 and len({m for m, _ in wanted}) > 1:
            refused[source.id] = ("several Marketo instances to several CDP instances is not "
                                  "supported (B-B2B-02); connect them all to one CDP instance")
        else:
            accepted.append((munchkin, instance))
    return refused
