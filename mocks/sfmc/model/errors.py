"""SFMC's error bodies (vendor-apis.md §2): `{message, errorcode, documentation}` with real
HTTP statuses, `additionalErrors` for row validation, OAuth-style bodies on the auth host."""

from __future__ import annotations

from vendorsim.mocks.core.bearer import ApiError

from .facts import DOCS

NOT_AUTHORIZED = {"documentation": DOCS, "errorcode": 0, "message": "Not Authorized"}
BAD_CLIENT = {
    "error": "invalid_client",
    "error_description": "Client authentication failed. Make sure that the client ID and client "
                         "secret are valid and that the package is installed and enabled.",
    "error_uri": "https://developer.salesforce.com/docs",
}


class SfmcError(ApiError):
    """An error answer: HTTP status plus SFMC's JSON body."""

    def __init__(self, status: int, message: str, errorcode: int,
                 additional: list[dict] | None = None, documentation: str = "",
                 headers: dict[str, str] | None = None) -> None:
        self.message = message
        body: dict = {"message": message, "errorcode": errorcode, "documentation": documentation}
        if additional is not None:
            body["additionalErrors"] = additional
        super().__init__(status, body, headers)


def row_error(message: str) -> dict:
    return {"message": message, "errorcode": 10000, "documentation": ""}
