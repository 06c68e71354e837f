"""Demandbase's error body, the ErrorDto its Data Export API documents (vendor-apis.md §7.4):
`{errorCode, errorMessage, diagnosticCode}`, the code's first three digits the HTTP status.
Every Demandbase error has it (its SDK reads `errorMessage`). The code's rest is the
documented one where Demandbase publishes it, else `000` (vendorsim's choice)."""

from __future__ import annotations

import uuid

from vendorsim.mocks.core.bearer import ApiError

UNSPECIFIED = "000"  # the sub-code of errors whose code Demandbase does not publish


def problem(status: int, message: str) -> ApiError:
    """An error with no published code: `{status}-000`."""
    return ApiError(status, envelope(f"{status}-{UNSPECIFIED}", message))


def export_error(status: int, code: str, message: str) -> ApiError:
    """An error with its published code (the Export API's `400-115` style)."""
    return ApiError(status, envelope(code, message), code=code)


def envelope(code: str, message: str) -> dict:
    """errorCode, errorMessage and a diagnosticCode to quote to Demandbase's support."""
    return {"errorCode": code, "errorMessage": message, "diagnosticCode": uuid.uuid4().hex}
