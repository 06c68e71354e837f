"""Synthetic B2B profiles: accounts, the people who work there, opportunities and events.

    from vendorsim.simulator.generate import GeneratorConfig, ProfileGenerator

    for block in ProfileGenerator(GeneratorConfig(count=1000, seed=7)).blocks():
        block.account, block.people, block.opportunities, block.events
"""

from .core import INVALID_KINDS, AccountBlock, GeneratorConfig, ProfileGenerator

__all__ = ["INVALID_KINDS", "AccountBlock", "GeneratorConfig", "ProfileGenerator"]
