"""Bombora's error body: `{message}` with the HTTP status."""

from __future__ import annotations

from vendorsim.mocks.core.bearer import ApiError


def problem(status: int, message: str) -> ApiError:
    """Bombora's error body: `{message}` with the HTTP status."""
    return ApiError(status, {"message": message})
