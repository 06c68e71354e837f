"""Binds the Gherkin acceptance suite in features/ (issue 5): every scenario becomes a
pytest test, tagged with the behaviour IDs it verifies (`pytest -m B-MKT-14`). The steps
live in tests/steps/; `--vendorsim-target=server|docker` runs the same features against a
running vendorsim instead of the embedded mocks."""

from __future__ import annotations

from pytest_bdd import scenarios

from tests.steps.clients import *  # noqa: F403 - step definitions are found like fixtures
from tests.steps.concurrency import *  # noqa: F403
from tests.steps.given import *  # noqa: F403
from tests.steps.given_sources import *  # noqa: F403
from tests.steps.marketo_source import *  # noqa: F403
from tests.steps.then import *  # noqa: F403
from tests.steps.then_cdp import *  # noqa: F403
from tests.steps.when import *  # noqa: F403
from tests.steps.world import world  # noqa: F401 - the scenario's state

scenarios("../features")
