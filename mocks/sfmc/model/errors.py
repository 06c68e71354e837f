"""SFMC's refusals as the model raises them (vendor-apis.md §2): `{message, errorcode,
documentation}` with the status SFMC answers, `additionalErrors` for row validation. The REST
views answer them as they are; the SOAP views turn them into a result's error or a fault."""

from __future__ import annotations

from vendorsim.mocks.core.bearer import ApiError

from ..facts import DOCS, NO_PRIVILEGE


class SfmcError(ApiError):
    """An error answer: HTTP status plus SFMC's JSON body."""

    def __init__(self, status: int, message: str, errorcode: int,
                 additional: list[dict] | None = None, documentation: str = "",
                 headers: dict[str, str] | None = None) -> None:
        self.message = message
        self.errorcode = errorcode
        body: dict = {"message": message, "errorcode": errorcode, "documentation": documentation}
        if additional is not None:
            body["additionalErrors"] = additional
        super().__init__(status, body, headers)


class NotPermitted(SfmcError):
    """The installed package lacks the scope an operation needs (B-SFMC-03): 403 over REST,
    a fault over SOAP."""

    def __init__(self, scope: str) -> None:
        super().__init__(403, "Insufficient privileges", NO_PRIVILEGE, documentation=DOCS)
        self.scope = scope


def row_error(message: str) -> dict:
    return {"message": message, "errorcode": 10000, "documentation": ""}
