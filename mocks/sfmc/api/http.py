"""What every SFMC view shares: the call's account and caller, the JSON body, SFMC's time
format and answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast

from flask import current_app, request

from vendorsim.mocks.core.bearer import json_response
from vendorsim.mocks.core.bodies import BadBody, parse_json, whole_number
from vendorsim.mocks.core.context import call, tenant_backend

from ..facts import INVALID_REQUEST
from ..model.account import SfmcAccount
from ..model.errors import SfmcError
from ..model.scopes import Caller

if TYPE_CHECKING:
    from ..service import SfmcService

__all__ = ["account", "body_json", "caller", "json_response", "page_args", "service",
           "sfmc_time"]


def account() -> SfmcAccount:
    """The account the call's token opened (the pipeline admitted the call)."""
    return cast(SfmcAccount, tenant_backend())


def caller() -> Caller:
    """The call's token as the model's operations judge it: its package's scopes."""
    credential = call().credential
    return Caller(credential.scopes if credential is not None else frozenset())


def service() -> SfmcService:
    found: SfmcService = current_app.config["vendorsim.service"]
    return found


def sfmc_time(epoch: float) -> str:
    """SFMC's call times: ISO without a zone, two decimals (`2017-10-27T16:00:38.98`)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-4]


def body_json() -> object:
    data = request.get_data(cache=True)
    try:
        return parse_json(data) if data else None
    except BadBody as exc:
        raise SfmcError(400, f"Unable to parse the request body as JSON: {exc}",
                        INVALID_REQUEST) from None


def page_args(default_size: int, max_size: int, clamp: bool = False) -> tuple[int, int]:
    """`$page` and `$pageSize` as whole numbers (400 otherwise); `clamp`: numbers out of
    range are brought into it rather than refused."""
    low, high = (-(10**12), 10**12) if clamp else (1, None)
    page = whole_number(request.args.get("$page") or 1, low, high or 10**6)
    size = whole_number(request.args.get("$pageSize") or default_size, low, high or max_size)
    if clamp and page is not None and size is not None:
        page, size = max(1, min(page, 10**6)), max(1, min(size, max_size))
    if page is None or size is None:
        raise SfmcError(400, f"$page and $pageSize must be whole numbers ($pageSize at most "
                             f"{max_size})", INVALID_REQUEST)
    return page, size
