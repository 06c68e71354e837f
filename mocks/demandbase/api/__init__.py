"""Demandbase's HTTP API: module-level Blueprints whose views parse the request, call one
operation of the client's model and answer."""

from __future__ import annotations

from flask import Blueprint

from . import alerts, auth, exports, imports, lists

BLUEPRINTS: tuple[Blueprint, ...] = (auth.bp, imports.bp, lists.bp, exports.bp, alerts.bp)
