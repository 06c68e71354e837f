"""Demandbase's error bodies: `{errorMessage}` (what its SDK reads), and the Data Export
API's ErrorDto `{errorCode, errorMessage, diagnosticCode}`."""

from __future__ import annotations

import uuid

from vendorsim.mocks.core.bearer import ApiError


def problem(status: int, message: str) -> ApiError:
    return ApiError(status, {"errorMessage": message})


def export_error(status: int, code: str, message: str) -> ApiError:
    """The export API's ErrorDto: errorCode, errorMessage, diagnosticCode."""
    return ApiError(status, {"errorCode": code, "errorMessage": message,
                             "diagnosticCode": uuid.uuid4().hex}, code=code)
